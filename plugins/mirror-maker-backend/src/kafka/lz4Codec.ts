import { CompressionCodecs, CompressionTypes } from 'kafkajs';
// lz4js has no type declarations; its API is compress/decompress of frames.
// eslint-disable-next-line @typescript-eslint/no-var-requires
const lz4: {
  compress(src: Uint8Array): Uint8Array;
  decompress(src: Uint8Array): Uint8Array;
} = require('lz4js');

/**
 * kafkajs reads only gzip by itself, and the rendered producer config
 * compresses with LZ4: the heartbeat reader on a target cluster fetches
 * batches MirrorMaker wrote, which it cannot decode without this codec.
 * lz4js is pure JavaScript and reads Kafka's LZ4 frames. Registering is
 * global to kafkajs and replaces its placeholder, which only throws "LZ4
 * compression not implemented".
 */
export function registerLz4Codec(): void {
  CompressionCodecs[CompressionTypes.LZ4] = () => ({
    async compress(encoder: { buffer: Buffer }) {
      return Buffer.from(lz4.compress(encoder.buffer));
    },
    async decompress(buffer: Buffer) {
      return Buffer.from(lz4.decompress(buffer));
    },
  });
}
