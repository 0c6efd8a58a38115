import { defineConfig } from 'stele';

// The Coalition for Citizens Rights (公民自由联盟), founded May 2008: its
// self-hosted site was attacked from June 2008 and compromised in 2010. This
// is the site it should have had, rebuilt with stele.
export default defineConfig({
  siteId: 'cfcr',
  title: { en: 'Coalition for Citizens Rights', 'zh-Hans': '公民自由联盟' },
  description: {
    en: 'Freedom of speech, of the press and of the internet in China, since 2008.',
    'zh-Hans': '自2008年起，为中国的言论自由、新闻自由和网络自由而努力。',
  },
  // A placeholder canonical address (.example is reserved): the real group would put its domain here.
  baseUrl: 'https://cfcr.example/',
  languages: ['en', 'zh-Hans'],
  defaultLanguage: 'en',
  traditional: { enabled: true, overrides: {} },
  // A short page of news so that the archive shows its page/2/ pagination; a real site keeps the default (20).
  pageSize: 2,
  // Brand: a sanitized SVG logo, an accent colour the build checks for WCAG AA contrast, and a small extra stylesheet.
  theme: { logo: 'brand/logo.svg', accent: '#1a4f80', css: 'brand/extra.css' },
  // Shown in every footer. Placeholder addresses (.example is reserved).
  contact: { email: 'info@cfcr.example', signal: 'https://signal.me/#eu/cfcr-example', donate: 'https://donate.cfcr.example/' },
  organization: {
    name: { en: 'Coalition for Citizens Rights', 'zh-Hans': '公民自由联盟' },
    founded: '2008-05',
  },
  seal: {
    publicKey: 'keys/stele.pub',
    secretKey: 'keys/stele.key',
    expiresInDays: 30,
    required: true,
    official: [
      { type: 'domain', url: 'https://cfcr.example/', label: 'Signed site' },
      { type: 'mirror', url: 'http://www.gongminziyoulianmeng.blogspot.com/', label: 'Blog (official since 2010)' },
      { type: 'feed', url: 'https://cfcr.example/atom.xml', label: 'Atom feed' },
    ],
    revoked: [
      {
        url: 'http://www.cfcr2008.org/',
        date: '2010',
        reason: 'Compromised in 2010 and seeded with malicious code. Never open it, even if it looks normal.',
      },
    ],
  },
  // Where `stele publish` sends the sealed build (see README "Publishing"). Secrets never go here:
  // name environment variables or files. Uncomment and adapt:
  // publish: {
  //   targets: [
  //     { type: 'directory', name: 'local', path: '/srv/www/cfcr', keep: 5, url: 'https://cfcr.example/' },
  //     { type: 'rsync', name: 'mirror', host: 'mirror.example.net', user: 'deploy', path: '/var/www/cfcr',
  //       identityFile: '/home/me/.ssh/cfcr_deploy', knownHostsFile: 'keys/known_hosts', url: 'https://mirror.example.net/' },
  //     { type: 's3', name: 'bucket', bucket: 'cfcr-site', region: 'eu-central-1',
  //       accessKeyIdEnv: 'CFCR_S3_KEY_ID', secretAccessKeyEnv: 'CFCR_S3_SECRET' },
  //     { type: 'git', name: 'pages', repo: 'git@codeberg.org:cfcr/pages.git', branch: 'pages',
  //       identityFile: '/home/me/.ssh/cfcr_pages', knownHostsFile: 'keys/known_hosts' },
  //     { type: 'car', name: 'ipfs', out: 'release/cfcr.car' },
  //   ],
  // },
});
