// The page opened through a TLS front (nginx, Caddy) in headless Chromium, beside an nc user on
// the plain chat port: the page must load over https://, join over wss:// and chat both ways.
// Run by scripts/fronts_test.py, which starts the server and the front:
//   node tests/browser/proxied_page.js https://chat.test:PORT/ CHAT_PORT
// chat.test is mapped to 127.0.0.1 inside Chromium; the test certificate is self-signed.
'use strict';

const {
  kChromiumArgs,
  NcClient,
  launchBrowser,
  waitForRow,
  typeLine,
  joinAs,
} = require('./support');

const kTestName = 'proxied page';
// The whole run, Chromium's start included, on a slow and busy machine.
const kRunMs = 120000;

async function run(url, chatPort) {
  const expectedSocket = 'wss://' + new URL(url).host + '/chat';
  const nc = await NcClient.join(chatPort, 'Nelly');
  const browser = await launchBrowser({
    ignoreHTTPSErrors: true,
    args: kChromiumArgs.concat(['--host-resolver-rules=MAP chat.test 127.0.0.1']),
  });
  try {
    const page = await browser.context.newPage();
    const errors = [];
    const sockets = [];
    page.on('pageerror', (err) => errors.push(String(err)));
    page.on('websocket', (ws) => sockets.push(ws.url()));
    const response = await page.goto(url);
    if (!response || response.status() !== 200) {
      throw new Error(`the page answered ${response ? response.status() : 'nothing'}`);
    }
    await joinAs(page, 'Webby');
    await nc.waitFor('Webby has joined our chat...');
    nc.send('hello over plain TCP');
    await waitForRow(page, '\\]\\[Nelly\\]:hello over plain TCP$');
    await typeLine(page, 'hello over wss');
    await nc.waitFor('[Webby]:hello over wss\n');
    if (sockets.length === 0 || sockets[0] !== expectedSocket) {
      throw new Error(`the page opened ${JSON.stringify(sockets)}, not ${expectedSocket}`);
    }
    if (errors.length > 0) throw new Error(`page errors: ${errors.join('; ')}`);
    console.log(`ok: ${url} loaded, ${sockets[0]} joined, both directions delivered`);
  } finally {
    nc.close();
    await browser.close();
  }
}

async function main() {
  const [url, chatPort] = process.argv.slice(2);
  if (!url || !chatPort) {
    console.error('usage: node proxied_page.js https://chat.test:PORT/ CHAT_PORT');
    process.exit(2);
  }
  const timer = setTimeout(() => {
    console.error(`${kTestName}: gave up after ${kRunMs} ms`);
    process.exit(1);
  }, kRunMs);
  try {
    await run(url, Number(chatPort));
    clearTimeout(timer);
  } catch (err) {
    console.error(`${kTestName}: ${err.message}`);
    process.exit(1);
  }
}

main();
