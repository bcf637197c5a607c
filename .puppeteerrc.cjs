// whatsapp-web.js drives the machine's own Chromium (CHROMIUM_PATH); puppeteer must not download one.
module.exports = { skipDownload: true };
