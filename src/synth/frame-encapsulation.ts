export type LinkEncapsulation =
  | { linkType: 1; vlanTags?: { tpid: number; id: number }[] }
  | { linkType: 113 }
  | { linkType: 276 }
  | { linkType: 12 | 14 | 101 | 228 }
  | { linkType: 0; bigEndian?: boolean }
  | { linkType: 108 };

const ETHERTYPE_IPV4 = 0x0800;
const ETHERTYPE_IPV6 = 0x86dd;
const ARPHRD_ETHER = 1;
const AF_INET = 2;
/** NetBSD/OpenBSD value, one of those every reader accepts. */
const AF_INET6_BSD = 24;
const SOURCE_MAC = [0x02, 0x00, 0x00, 0x00, 0x00, 0x01];
const DESTINATION_MAC = [0x02, 0x00, 0x00, 0x00, 0x00, 0x02];

/**
 * Wraps an IP packet in the link-layer header of `link`. The version nibble chooses the ethertype
 * or family, so IPv6 packets can be wrapped too (except for LINKTYPE_IPV4, 228).
 */
export function encapsulate(ipPacket: Uint8Array, link: LinkEncapsulation): Uint8Array {
  const version = ipPacket.length > 0 ? ipPacket[0] >> 4 : 0;
  if (version !== 4 && version !== 6) throw new RangeError(`not an IP packet (version ${version})`);
  const isIpv4 = version === 4;
  const ethertype = isIpv4 ? ETHERTYPE_IPV4 : ETHERTYPE_IPV6;

  switch (link.linkType) {
    case 1: {
      const tags = link.vlanTags ?? [];
      const header = new Uint8Array(14 + 4 * tags.length);
      const view = new DataView(header.buffer);
      header.set(DESTINATION_MAC, 0);
      header.set(SOURCE_MAC, 6);
      let position = 12;
      for (const tag of tags) {
        view.setUint16(position, tag.tpid);
        view.setUint16(position + 2, tag.id & 0x0fff);
        position += 4;
      }
      view.setUint16(position, ethertype);
      return concat(header, ipPacket);
    }
    case 113: {
      const header = new Uint8Array(16);
      const view = new DataView(header.buffer);
      view.setUint16(0, 0); // sent to us
      view.setUint16(2, ARPHRD_ETHER);
      view.setUint16(4, 6);
      header.set(SOURCE_MAC, 6);
      view.setUint16(14, ethertype);
      return concat(header, ipPacket);
    }
    case 276: {
      const header = new Uint8Array(20);
      const view = new DataView(header.buffer);
      view.setUint16(0, ethertype);
      view.setUint32(4, 1); // interface index
      view.setUint16(8, ARPHRD_ETHER);
      header[10] = 0; // sent to us
      header[11] = 6;
      header.set(SOURCE_MAC, 12);
      return concat(header, ipPacket);
    }
    case 0:
    case 108: {
      const header = new Uint8Array(4);
      const littleEndian = link.linkType === 0 && link.bigEndian !== true;
      new DataView(header.buffer).setUint32(0, isIpv4 ? AF_INET : AF_INET6_BSD, littleEndian);
      return concat(header, ipPacket);
    }
    case 228:
      if (!isIpv4) throw new RangeError('LINKTYPE_IPV4 (228) carries IPv4 only');
      return ipPacket.slice();
    default:
      return ipPacket.slice();
  }
}

function concat(header: Uint8Array, packet: Uint8Array): Uint8Array {
  const frame = new Uint8Array(header.length + packet.length);
  frame.set(header);
  frame.set(packet, header.length);
  return frame;
}
