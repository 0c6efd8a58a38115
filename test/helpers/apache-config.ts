/**
 * A throwaway Debian apache2 config for tests: listens on 127.0.0.1:`port`, keeps
 * its pid, log and mutex in `dir`, serves `siteRoot` and lets the site's own
 * `.htaccess` configure it (AllowOverride All).
 */
export function createApacheConfig(dir: string, siteRoot: string, port: number): string {
  const modules = ['mpm_event', 'authz_core', 'mime', 'headers', 'alias', 'rewrite', 'dir'];
  return [
    `ServerRoot ${dir}`,
    `Listen 127.0.0.1:${port}`,
    'ServerName 127.0.0.1',
    `PidFile ${dir}/httpd.pid`,
    `ErrorLog ${dir}/error.log`,
    `Mutex file:${dir}`,
    ...modules.map((m) => `LoadModule ${m}_module /usr/lib/apache2/modules/mod_${m}.so`),
    'User nobody',
    'Group nogroup',
    'TypesConfig /etc/mime.types',
    `DocumentRoot ${siteRoot}`,
    `<Directory ${siteRoot}>`,
    '  AllowOverride All',
    '  Require all granted',
    '</Directory>',
    '',
  ].join('\n');
}
