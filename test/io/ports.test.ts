/**
 * The process and network ports against the real thing: a child `node` process
 * and an HTTP server on 127.0.0.1, both stopped by the test.
 */
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeFetch } from '../../src/io/network.js';
import { createNodeProcessRunner } from '../../src/io/process.js';

describe('process port', () => {
  const runner = createNodeProcessRunner();

  it('passes arguments without a shell and returns output and exit code', async () => {
    const result = await runner.run(process.execPath, ['-e', 'process.stdout.write(process.argv[1]); process.stderr.write("e"); process.exit(3)', '$(echo no) ; x'], {});
    expect(result).toMatchObject({ code: 3, signal: null, stdout: '$(echo no) ; x', stderr: 'e' });
  });

  it('feeds stdin, sets cwd and replaces the environment', async () => {
    const result = await runner.run(
      process.execPath,
      ['-e', 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(s, process.cwd(), process.env.ONLY, process.env.HOME ?? "-"))'],
      { input: 'hello', cwd: '/tmp', env: { ONLY: 'yes', PATH: process.env.PATH } },
    );
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toBe('hello /tmp yes -');
  });

  it('rejects when the program does not exist', async () => {
    await expect(runner.run('/nonexistent/program', [])).rejects.toThrow(/ENOENT/);
  });

  it('reports a killed child by its signal', async () => {
    const controller = new AbortController();
    const pending = runner.run(process.execPath, ['-e', 'setTimeout(()=>{}, 60000)'], { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    const result = await pending;
    expect(result.code).toBeNull();
    expect(result.signal).toBe('SIGTERM');
  });
});

describe('network port', () => {
  let server: Server;
  let base: string;
  beforeAll(async () => {
    server = createServer((req, res) => {
      res.setHeader('content-type', 'text/plain');
      res.end(`${req.method} ${req.url}`);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const address = server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('fetches from a real server', async () => {
    const response = await createNodeFetch()(`${base}/a/b?c`, { method: 'POST', body: 'x' });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('POST /a/b?c');
  });
});
