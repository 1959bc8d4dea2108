export interface GtpUOptions {
  /** Sets S and writes the sequence number. */
  sequence?: number;
  /** Sets PN and writes the N-PDU number. */
  nPduNumber?: number;
  /** Sets E and chains these extension headers; content is padded so each header is a multiple of 4 bytes. */
  extensionHeaders?: readonly { type: number; content: Uint8Array }[];
}

const GTP_U_G_PDU = 0xff;
const GTPV1_PT = 0x30;

/** A GTPv1-U G-PDU (3GPP TS 29.281) carrying `inner`: the payload of a UDP datagram to port 2152. */
export function buildGtpU(inner: Uint8Array, teid: number, options: GtpUOptions = {}): Uint8Array {
  const extensions = options.extensionHeaders ?? [];
  const withOptionalFields = options.sequence !== undefined || options.nPduNumber !== undefined || extensions.length > 0;
  const extensionBytes = extensions.map((extension) => {
    const length = Math.ceil((extension.content.length + 2) / 4) * 4;
    if (length / 4 > 0xff) throw new RangeError('GTP-U extension header too long');
    const bytes = new Uint8Array(length);
    bytes[0] = length / 4;
    bytes.set(extension.content, 1);
    return bytes;
  });
  extensionBytes.forEach((bytes, i) => {
    bytes[bytes.length - 1] = i + 1 < extensions.length ? extensions[i + 1].type : 0;
  });

  const headerLength = 8 + (withOptionalFields ? 4 : 0) + extensionBytes.reduce((sum, bytes) => sum + bytes.length, 0);
  const lengthField = headerLength - 8 + inner.length;
  if (lengthField > 0xffff) throw new RangeError('GTP-U message too long');
  const message = new Uint8Array(headerLength + inner.length);
  const view = new DataView(message.buffer);
  message[0] =
    GTPV1_PT | (extensions.length > 0 ? 0x04 : 0) | (options.sequence !== undefined ? 0x02 : 0) | (options.nPduNumber !== undefined ? 0x01 : 0);
  message[1] = GTP_U_G_PDU;
  view.setUint16(2, lengthField);
  view.setUint32(4, teid >>> 0);
  if (withOptionalFields) {
    view.setUint16(8, (options.sequence ?? 0) & 0xffff);
    message[10] = (options.nPduNumber ?? 0) & 0xff;
    message[11] = extensions.length > 0 ? extensions[0].type : 0;
  }
  let position = withOptionalFields ? 12 : 8;
  for (const bytes of extensionBytes) {
    message.set(bytes, position);
    position += bytes.length;
  }
  message.set(inner, position);
  return message;
}
