import QRCode from 'qrcode';

/** The linking QR as a PNG, for sending to the owners as a picture (Telegram). */
export function qrPng(qr: string): Promise<Buffer> {
  return QRCode.toBuffer(qr, { type: 'png', margin: 2, width: 512 });
}

/** The linking QR drawn with block characters, small enough for an 80-column terminal. */
export function qrTerminal(qr: string): Promise<string> {
  return QRCode.toString(qr, { type: 'terminal', small: true });
}
