import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { convertPersonName, createTraditionalConverter, splitChineseName, suggestPinyin } from '../../src/content/chinese.js';

describe('createTraditionalConverter', () => {
  const convert = createTraditionalConverter();

  it('converts characters with Taiwan-standard forms but keeps vocabulary (cn → tw, not twp)', () => {
    expect(convert('公民自由联盟')).toBe('公民自由聯盟');
    expect(convert('刘晓波和陈光诚')).toBe('劉曉波和陳光誠');
    expect(convert('头发和发展')).toBe('頭髮和發展');
    // twp would turn these into 軟體 / 網路; we keep the authors' words
    expect(convert('软件和网络')).toBe('軟件和網絡');
  });

  it('applies overrides first, as whole terms, longest first', () => {
    const c = createTraditionalConverter({ 软件: '軟體', 软件包: '套裝軟體', 朱虞夫: '朱虞夫' });
    expect(c('软件包和软件')).toBe('套裝軟體和軟體');
    expect(c('朱虞夫的诗')).toBe('朱虞夫的詩');
  });

  it('leaves code, link destinations, HTML tags and URLs untouched', () => {
    const md = [
      '见[这里](https://example.org/发/ "标题")和<https://example.org/后>',
      '`发送` 代码',
      '```',
      'const 发 = "后";',
      '```',
      '<a href="/后/">后来</a> https://x.org/发?q=后 之后',
      '[参考]: https://example.org/后',
    ].join('\n');
    const out = convert(md);
    expect(out).toContain('見[這裡](https://example.org/发/ "标题")和<https://example.org/后>');
    expect(out).toContain('`发送` 代碼');
    expect(out).toContain('```\nconst 发 = "后";\n```');
    expect(out).toContain('<a href="/后/">後來</a> https://x.org/发?q=后 之後');
    expect(out).toContain('[參考]: https://example.org/后');
  });

  it('converts reference labels the same way in uses and definitions', () => {
    const out = convert('见[链接][参考]。\n\n[参考]: https://example.org/后');
    expect(out).toBe('見[鏈接][參考]。\n\n[參考]: https://example.org/后');
  });

  it('never changes a URL, whatever Han characters it holds (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('发', '后', '里', '联', '盟', 'a', '1', '-'), { minLength: 1, maxLength: 12 }), (chars) => {
        const url = `https://example.org/${chars.join('')}`;
        expect(convert(`看[链接](${url})和 ${url} 以及 <${url}>`)).toBe(`看[鏈接](${url})和 ${url} 以及 <${url}>`);
      }),
    );
  });

  it('returns text without Han characters unchanged', () => {
    expect(convert('plain *Markdown* text')).toBe('plain *Markdown* text');
  });
});

describe('suggestPinyin', () => {
  it.each([
    ['朱虞夫', 'Zhu Yufu'],
    ['刘晓波', 'Liu Xiaobo'],
    ['陈光诚', 'Chen Guangcheng'],
    ['欧阳修', 'Ouyang Xiu'],
    ['单雄信', 'Shan Xiongxin'],
    ['曾庆红', 'Zeng Qinghong'],
    ['卫波', 'Wei Bo'],
  ])('%s → %s', (hanzi, latin) => {
    expect(suggestPinyin(hanzi)).toBe(latin);
  });

  it('returns empty for text without Chinese', () => {
    expect(suggestPinyin('')).toBe('');
  });

  it('splits compound surnames', () => {
    expect(splitChineseName('司马迁')).toEqual({ surname: '司马', given: '迁' });
    expect(splitChineseName('马迁')).toEqual({ surname: '马', given: '迁' });
  });
});

describe('convertPersonName', () => {
  const convert = createTraditionalConverter();
  it('keeps surnames that prose conversion would change', () => {
    expect(convert('朴美花')).toBe('樸美花'); // prose conversion is wrong for the surname
    expect(convertPersonName('朴美花', convert)).toBe('朴美花');
    expect(convertPersonName('余华', convert)).toBe('余華');
    expect(convertPersonName('邓欢欢', convert)).toBe('鄧歡歡');
    expect(convertPersonName('欧阳修', convert)).toBe('歐陽修');
  });
});
