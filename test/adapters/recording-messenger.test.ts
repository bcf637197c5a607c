import { renderHtml } from '../../src/bot/telegram/render-html.ts';
import { renderWhatsApp } from '../../src/bot/whatsapp/render-whatsapp.ts';
import type { Channel } from '../../src/pipeline/alerts/ports.ts';
import { readTelegramHtml } from '../fakes/fake-telegram.ts';
import { readWhatsAppText } from '../fakes/fake-whatsapp-client.ts';
import { RecordingMessenger } from '../fakes/recording-messenger.ts';
import { messengerContract, type MessengerUnderTest } from './messenger-contract.ts';

/** The fake the alert engine's tests use keeps the Messenger contract, so what they show holds for the real channels. */
function recording(channel: Channel): MessengerUnderTest {
  const messenger = new RecordingMessenger(channel);
  messenger.refused.add('1999');
  const seen = (raw: string) => {
    if (channel === 'whatsapp') return readWhatsAppText(raw);
    const html = readTelegramHtml(raw);
    if ('error' in html) throw new Error(`Telegram would refuse ${raw}: ${html.error}`);
    return html;
  };
  return {
    messenger, recipient: '1001', other: '1002', refused: '1999',
    received: (to) => messenger.to(to).map((raw) => ({ raw, ...seen(raw) })),
    down: () => { messenger.ready = false; messenger.stateText = 'disconnected'; },
    up: () => { messenger.ready = true; },
    close: async () => undefined,
  };
}

messengerContract('recording (Telegram)', async () => recording('telegram'), (m) => renderHtml(m).text);
messengerContract('recording (WhatsApp)', async () => recording('whatsapp'), renderWhatsApp);
