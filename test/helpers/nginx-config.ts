/**
 * A throwaway Debian nginx main config for tests: runs in the foreground
 * without a master process, keeps its pid, error log and temporary files in
 * `dir` (make `dir/tmp` first), and includes `dir/server.conf`, where the test
 * puts the server block under test (usually one `stele server-config nginx` wrote).
 */
export function createNginxMainConfig(dir: string): string {
  return [
    'daemon off;',
    'master_process off;',
    `pid ${dir}/nginx.pid;`,
    `error_log ${dir}/error.log;`,
    'events { worker_connections 64; }',
    'http {',
    '  access_log off;',
    ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `  ${t}_temp_path ${dir}/tmp/${t};`),
    `  include ${dir}/server.conf;`,
    '}',
    '',
  ].join('\n');
}
