import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

/** Folder of the CFCR example's content. */
export const CFCR_CONTENT = fileURLToPath(new URL('../../examples/cfcr/content/', import.meta.url));

/** Parse a Markdown file's YAML front matter and body with `yaml` directly. */
export function readExample(relative: string): { data: Record<string, unknown>; body: string } {
  const text = readFileSync(CFCR_CONTENT + relative, 'utf8');
  const m = /^---\n([\s\S]*?)\n---\n([\s\S]*)$/.exec(text);
  if (!m) throw new Error(`${relative}: no front matter`);
  return { data: parse(m[1]!) as Record<string, unknown>, body: m[2]! };
}

/** Files of one collection folder. */
export function listExample(collection: string): string[] {
  return readdirSync(CFCR_CONTENT + collection)
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => `${collection}/${f}`);
}

/** The 33 rally members exactly as the coalition's statement lists them (English and Chinese, same order). */
export const SEED_ROSTER_EN = [
  'Du Linze', 'Yin Hushan', 'Jin Fengnu', 'Jin Zhezhu', 'Piao Hulin', 'Jin Shunfu', 'Xu Yingyu', 'Zhang Fuzi',
  'Liu Yongjie', 'Shi Aiqin', 'Liu Ailing', 'Lian Jizi', 'Lin Jixiang', 'Xu Zhenai', 'Chi Bihe', 'Chen Kexiang',
  'Cao Yikang', 'Wei Bo', 'Zhu Yongming', 'Jin Yujie', 'Shen Xianglan', 'Shi Jiaren', 'Li Yuhua', 'Piao Meihua',
  'Xu Zhejun', 'Jin Hai', 'An Chunyue', 'Yang Shunhua', 'Jin Yinshun', 'Ming Jian', 'Luo Shimeng', 'Cui Yonglu',
  'Deng Huanhuan',
];
export const SEED_ROSTER_ZH = [
  '杜林泽', '尹虎山', '金凤女', '金哲洙', '朴虎林', '金顺福', '许英玉', '张福子', '刘用杰', '石爱钦', '刘爱玲',
  '廉姬子', '林吉香', '许贞爱', '池碧荷', '陈克香', '曹以康', '卫波', '朱永明', '金玉洁', '沈香兰', '施家仁',
  '李玉花', '朴美花', '许哲俊', '金海', '安春月', '杨顺花', '金银顺', '明键', '罗士猛', '崔永绿', '邓欢欢',
];
