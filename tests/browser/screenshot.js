// Makes docs/web-phone.png: the page on a phone-sized screen during a short conversation.
// Run by hand after the page changes: node tests/browser/screenshot.js (after npm ci here).
'use strict';

const path = require('node:path');
const { Server, NcClient, launchBrowser, openPage, waitForRow, typeLine, joinAs } = require('./support');

const kOutput = path.resolve(__dirname, '..', '..', 'docs', 'web-phone.png');
// A common phone: 390 CSS pixels wide, drawn at twice that for a sharp picture.
const kPhone = { viewport: { width: 390, height: 740 }, deviceScaleFactor: 2, colorScheme: 'dark' };

async function main() {
  const server = await Server.start();
  const browser = await launchBrowser(kPhone);
  const clients = [];
  try {
    const alice = await NcClient.join(server.chatPort, 'Alice');
    clients.push(alice);
    alice.send('anyone up for lunch at noon?');
    await alice.waitFor(/\]\[Alice\]:$/);

    const page = await openPage(browser, server);
    await joinAs(page, 'Maya');
    await waitForRow(page, ':anyone up for lunch at noon\\?$');

    const bob = await NcClient.join(server.chatPort, 'Bob');
    clients.push(bob);
    await waitForRow(page, '^Bob has joined our chat\\.\\.\\.$');
    bob.send('count me in');
    await waitForRow(page, ':count me in$');
    await typeLine(page, 'the usual place? I can book a table');
    await alice.waitFor('[Maya]:the usual place?');
    alice.send('yes please, for three');
    await waitForRow(page, ':yes please, for three$');
    await page.keyboard.type('booked: 12:00, under Ma');
    await page.screenshot({ path: kOutput });
    console.log(`wrote ${kOutput}`);
  } finally {
    clients.forEach((c) => c.close());
    await browser.close();
    await server.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
