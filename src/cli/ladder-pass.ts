import { frameReference } from '../analysis/frame-reference.js';
import { LadderBuilder, type LadderBuilderOptions } from '../ladder/ladder-builder.js';
import type { ClientLadder } from '../ladder/ladder-step.js';
import type { ReportClient } from '../report/report.js';
import { streamMergedTeredoPackets } from './merged-teredo-stream.js';

export interface LadderPass {
  ladders: ClientLadder[];
  /** Clients that got no ladder (past LadderBuilderOptions.maxClients). */
  omittedClients: number;
}

/**
 * The second pass over the captures that drawing needs: the analysis keeps no list of steps, so
 * the packets are read again and classified against the report's clients (`files` in the order
 * the analysis read them, so that frame references agree). Not for standard input, which cannot
 * be read twice.
 */
export async function collectLadders(files: readonly string[], clients: Iterable<ReportClient>, options: LadderBuilderOptions = {}): Promise<LadderPass> {
  const builder = new LadderBuilder(clients, { ...options, severalCaptures: files.length > 1 });
  await streamMergedTeredoPackets(files, (packet, source) => {
    packet.frame = frameReference(source, packet.frame);
    builder.add(packet);
  });
  return { ladders: builder.finish(), omittedClients: builder.omittedClients };
}
