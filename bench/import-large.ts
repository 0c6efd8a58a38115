/**
 * Benchmark: `stele import` of a large WordPress export, at two sizes, to show
 * that time grows with the export and memory does not.
 *
 *   npm run build && npx tsx bench/import-large.ts
 *
 * Environment: STELE_BENCH_IMPORT_MB (size of the large export, default 200; the
 * small one is a tenth of it), STELE_BENCH_DIR (work folder; default a temp folder,
 * removed afterwards), STELE_BENCH_KEEP=1 (keep it).
 *
 * The exports are deterministic WXR 1.2 files (mulberry32 PRNG): posts of ~4 KB
 * of HTML (paragraphs, links, emphasis, a jump break, now and then a remote
 * image and a `[caption]`), categories and tags, and 0–3 comments per post with
 * e-mail and IP addresses. Each import runs `node bin/stele.js import … --json`
 * in a child process under GNU time (wall time, peak RSS).
 */
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { measureCommand } from './measure.js';

const REPO = join(import.meta.dirname, '..');

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS =
  'rights lawyer detained court hearing family statement release campaign petition police custody trial evidence appeal journalist writer activist prison visit letter council protest peaceful assembly freedom expression report witness'.split(
    ' ',
  );
const TAGS = ['detention', 'courts', 'campaigns', 'press freedom', 'letters', 'reports'];

/** Write a WXR 1.2 export of at least `bytes` bytes to `file`; returns the number of posts. */
export async function writeLargeExport(file: string, bytes: number): Promise<number> {
  const random = mulberry32(20121214);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  const sentence = (n: number) => {
    const words = Array.from({ length: n }, () => pick(WORDS));
    words[0] = words[0]!.charAt(0).toUpperCase() + words[0]!.slice(1);
    return `${words.join(' ')}.`;
  };
  const out = createWriteStream(file);
  const write = (text: string) => (out.write(text) ? Promise.resolve() : new Promise<void>((r) => out.once('drain', () => r())));
  let written = 0;
  const put = async (text: string) => {
    written += Buffer.byteLength(text);
    await write(text);
  };
  await put(`<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:wfw="http://wellformedweb.org/CommentAPI/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
	<title>Benchmark Rights Blog</title>
	<link>https://bench.example.org</link>
	<wp:wxr_version>1.2</wp:wxr_version>
`);
  let posts = 0;
  while (written < bytes) {
    posts += 1;
    const id = posts;
    const year = 2008 + (id % 16);
    const month = String(1 + (id % 12)).padStart(2, '0');
    const day = String(1 + (id % 28)).padStart(2, '0');
    const slug = `post-${id}`;
    const paragraphs: string[] = [];
    for (let p = 0; p < 12; p++) {
      paragraphs.push(`<p>${sentence(12)} <a href="https://news.example.org/${id}/${p}">${pick(WORDS)}</a> ${sentence(10)} <strong>${pick(WORDS)}</strong> ${sentence(14)}</p>`);
      if (p === 2) paragraphs.push('<!--more-->');
    }
    if (id % 10 === 0) paragraphs.push(`[caption id="attachment_${id}" width="640"]<img src="https://bench.example.org/wp-content/uploads/${year}/${month}/photo-${id}-1024x768.jpg" alt="${pick(WORDS)}" /> ${sentence(6)}[/caption]`);
    const comments: string[] = [];
    const count = Math.floor(random() * 4);
    for (let c = 0; c < count; c++) {
      comments.push(`		<wp:comment>
			<wp:comment_id>${id * 10 + c}</wp:comment_id>
			<wp:comment_author><![CDATA[Reader ${c}]]></wp:comment_author>
			<wp:comment_author_email><![CDATA[reader${(id * 7 + c) % 5000}@example.net]]></wp:comment_author_email>
			<wp:comment_author_IP><![CDATA[203.0.113.${(id + c) % 250}]]></wp:comment_author_IP>
			<wp:comment_date_gmt><![CDATA[${year}-${month}-${day} 12:${String(10 + c).padStart(2, '0')}:00]]></wp:comment_date_gmt>
			<wp:comment_content><![CDATA[${sentence(20)}]]></wp:comment_content>
			<wp:comment_approved><![CDATA[${c === 2 ? 'spam' : '1'}]]></wp:comment_approved>
			<wp:comment_type><![CDATA[comment]]></wp:comment_type>
		</wp:comment>
`);
    }
    await put(`	<item>
		<title>${sentence(6).replace(/\.$/, '')} ${id}</title>
		<link>https://bench.example.org/${year}/${month}/${slug}/</link>
		<dc:creator><![CDATA[editor]]></dc:creator>
		<content:encoded><![CDATA[${paragraphs.join('\n')}]]></content:encoded>
		<wp:post_id>${id}</wp:post_id>
		<wp:post_date_gmt><![CDATA[${year}-${month}-${day} 10:00:00]]></wp:post_date_gmt>
		<wp:post_name><![CDATA[${slug}]]></wp:post_name>
		<wp:status><![CDATA[${id % 50 === 0 ? 'draft' : 'publish'}]]></wp:status>
		<wp:post_parent>0</wp:post_parent>
		<wp:post_type><![CDATA[post]]></wp:post_type>
		<wp:post_password><![CDATA[]]></wp:post_password>
		<category domain="post_tag" nicename="${pick(TAGS).replace(/ /g, '-')}"><![CDATA[${pick(TAGS)}]]></category>
		<category domain="post_tag" nicename="${pick(TAGS).replace(/ /g, '-')}"><![CDATA[${pick(TAGS)}]]></category>
${comments.join('')}	</item>
`);
  }
  await put('</channel>\n</rss>\n');
  await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
  return posts;
}

interface ImportRun {
  exportMb: number;
  posts: number;
  wallS: number;
  mbPerSecond: number;
  maxRssMiB?: number;
}

async function measureImport(dir: string, name: string, mb: number): Promise<ImportRun> {
  const file = join(dir, `${name}.xml`);
  await writeLargeExport(file, mb * 1024 * 1024);
  const size = (await stat(file)).size;
  const run = await measureCommand(process.execPath, [join(REPO, 'bin/stele.js'), 'import', file, '--out', join(dir, `${name}-site`), '--json'], { cwd: dir });
  if (run.exitCode !== 0) throw new Error(`import failed (${run.exitCode}): ${run.stderr.slice(0, 2000)}`);
  const report = (JSON.parse(run.stdout) as { report: { posts: number } }).report;
  return {
    exportMb: Math.round((size / 1024 / 1024) * 10) / 10,
    posts: report.posts,
    wallS: Math.round(run.wallMs / 100) / 10,
    mbPerSecond: Math.round((size / 1024 / 1024 / (run.wallMs / 1000)) * 10) / 10,
    ...(run.maxRssKiB ? { maxRssMiB: Math.round(run.maxRssKiB / 1024) } : {}),
  };
}

/** Run both sizes and print the table. */
export async function runImportBenchmark(): Promise<ImportRun[]> {
  const large = Number(process.env.STELE_BENCH_IMPORT_MB ?? 200);
  const dir = process.env.STELE_BENCH_DIR ?? (await mkdtemp(join(tmpdir(), 'stele-bench-import-')));
  try {
    const runs = [await measureImport(dir, 'small', Math.max(1, large / 10)), await measureImport(dir, 'large', large)];
    console.log('| export | posts imported | wall | throughput | peak RSS |');
    console.log('| --- | --- | --- | --- | --- |');
    for (const r of runs) console.log(`| ${r.exportMb} MB | ${r.posts} | ${r.wallS} s | ${r.mbPerSecond} MB/s | ${r.maxRssMiB ?? '?'} MiB |`);
    return runs;
  } finally {
    if (!process.env.STELE_BENCH_KEEP && !process.env.STELE_BENCH_DIR) await rm(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await runImportBenchmark();
