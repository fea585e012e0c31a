// pixel_test.js ORIGIN PIXEL_CODE EVENT_ID - load a shop page carrying the
// TikTok Pixel base code (pointed at smartplusd) in headless Chromium, fire
// ttq.page() and ttq.track('CompletePayment', props, {event_id}), and print
// TAP lines for what the browser saw. The shop page is served by a small
// node http server on http://localhost:<its own port>/shop/ (another origin
// than smartplusd's 127.0.0.1, both loopback, so Chromium's local-network
// checks pass), so the script loads and posts cross-origin as on a real
// site. Driven by playwright-core with Debian's chromium.
'use strict';
const http = require('http');
const { chromium } = require('playwright-core');

const [origin, code, eventId] = process.argv.slice(2);
const html = `<!doctype html><html><head><title>Thanks</title>
<script>
!function (w, d, t) {
  w.TiktokAnalyticsObject=t;var ttq=w[t]=w[t]||[];ttq.methods=["page","track","identify","instances","debug","on","off","once","ready","alias","group","enableCookie","disableCookie","holdConsent","revokeConsent","grantConsent"],ttq.setAndDefer=function(t,e){t[e]=function(){t.push([e].concat(Array.prototype.slice.call(arguments,0)))}};for(var i=0;i<ttq.methods.length;i++)ttq.setAndDefer(ttq,ttq.methods[i]);ttq.instance=function(t){for(var e=ttq._i[t]||[],n=0;n<ttq.methods.length;n++)ttq.setAndDefer(e,ttq.methods[n]);return e},ttq.load=function(e,n){var r="${origin}/i18n/pixel/events.js",o=n&&n.partner;ttq._i=ttq._i||{},ttq._i[e]=[],ttq._i[e]._u=r,ttq._t=ttq._t||{},ttq._t[e]=+new Date,ttq._o=ttq._o||{},ttq._o[e]=n||{};n=document.createElement("script");n.type="text/javascript",n.async=!0,n.src=r+"?sdkid="+e+"&lib="+t;e=document.getElementsByTagName("script")[0];e.parentNode.insertBefore(n,e)};
  ttq.load('${code}');
  ttq.page();
}(window, document, 'ttq');
</script></head><body>
<button id="pay" onclick="ttq.track('CompletePayment', {contents:[{content_id:'sku-1',quantity:1,price:42}], value:42, currency:'USD'}, {event_id:'${eventId}'})">Pay</button>
</body></html>`;

let failed = 0;
const ok = (cond, name) => { console.log(`${cond ? 'ok' : 'not ok'} - browser: ${name}`); if (!cond) failed++; };

(async () => {
  const shop = http.createServer((rq, rs) => {
    rs.writeHead(rq.url.startsWith('/shop/') ? 200 : 404, { 'Content-Type': 'text/html' });
    rs.end(rq.url.startsWith('/shop/') ? html : 'not found');
  });
  await new Promise((r) => shop.listen(0, '127.0.0.1', r));
  const shopOrigin = `http://localhost:${shop.address().port}`;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
    timeout: 60000,
  });
  try {
    const page = await browser.newPage();
    if (process.env.PIXEL_DEBUG) {
      page.on('console', (m) => console.log('# console: ' + m.text()));
      page.on('requestfailed', (r) => console.log('# failed: ' + r.url() + ' ' + (r.failure() || {}).errorText));
      page.on('request', (r) => console.log('# request: ' + r.url()));
    }
    // the answer to a no-cors POST is opaque to the page (and Chromium's
    // ORB drops it), so the browser side checks what was sent; the shell
    // side asks smartplusd what it recorded
    const posts = [];
    page.on('request', (rq) => {
      if (rq.url().includes('/sandbox/pixel/track/') && rq.method() === 'POST') posts.push({ body: rq.postData() });
    });
    const scriptLoaded = page.waitForResponse((r) => r.url().includes('/i18n/pixel/events.js'), { timeout: 20000 });
    await page.goto(`${shopOrigin}/shop/thanks.html?ttclid=E.C.P.browsertest`, { waitUntil: 'load' });
    const js = await scriptLoaded;
    ok(js.status() === 200, `events.js served (HTTP ${js.status()})`);
    await page.waitForFunction(() => window.ttq && window.ttq.__smartplus === true, null, { timeout: 20000 });
    ok(true, 'the sandbox script took over the ttq queue');
    await page.click('#pay');
    const t0 = Date.now();
    while (posts.length < 2 && Date.now() - t0 < 20000) await new Promise((r) => setTimeout(r, 100));
    ok(posts.length === 2, `two events posted (page view + CompletePayment), saw ${posts.length}`);
    const pay = posts.find((p) => p.body && p.body.includes('CompletePayment'));
    ok(!!pay, 'CompletePayment posted');
    if (pay) {
      const sent = JSON.parse(pay.body);
      const ev = sent.data[0];
      ok(sent.event_source_id === code && ev.event_id === eventId, `posted with pixel code and event_id ${ev.event_id}`);
      ok(ev.user && ev.user.ttclid === 'E.C.P.browsertest' && !!ev.user.ttp, 'ttclid from the URL and the _ttp cookie sent');
    }
  } finally {
    await browser.close();
    shop.close();
  }
  process.exit(failed ? 1 : 0);
})().catch((e) => { console.log(`not ok - browser: ${e.message.split('\n')[0]}`); process.exit(1); });
