import assert from 'node:assert/strict';
import { renderTraceText, TraceRendererOptions } from '../../../src/gitlab/trace/renderer';
import { readGolden, readTrace, renderChunks, TRACE_NAMES } from './support';

describe('trace renderer on runner logs', () => {
  for (const name of TRACE_NAMES) {
    it(`renders ${name} as its golden text`, () => {
      assert.equal(renderTraceText(readTrace(name)), readGolden(`${name}.txt`));
    });
  }

  it('shows the runner time of each line on request', () => {
    const text = renderTraceText(readTrace('SYNTH_timestamped_trace'), { timestamps: 'show' });
    assert.equal(text, readGolden('SYNTH_timestamped_trace.show.txt'));
  });

  describe('output does not depend on how the bytes are chunked', function () {
    // Thousands of renders of a whole log: more time than the default, above all on a busy machine.
    this.timeout(120_000);

    const twoChunksAtEveryOffset = (name: string, options: TraceRendererOptions) => {
      const bytes = readTrace(name);
      const whole = JSON.stringify(renderChunks(bytes, [], options));
      for (let cut = 0; cut <= bytes.length; cut++) {
        assert.equal(JSON.stringify(renderChunks(bytes, [cut], options)), whole, `split at byte ${cut}`);
      }
    };

    const oneByteAtATime = (name: string, options: TraceRendererOptions) => {
      const bytes = readTrace(name);
      const everyByte = Array.from({ length: bytes.length }, (_, i) => i + 1);
      assert.deepEqual(renderChunks(bytes, everyByte, options), renderChunks(bytes, [], options));
    };

    for (const name of TRACE_NAMES) {
      it(`${name}: two chunks split at every byte offset`, () => twoChunksAtEveryOffset(name, {}));
      it(`${name}: one byte at a time`, () => oneByteAtATime(name, {}));
    }

    // Shown times take the same paths as stripped ones but for where a time lands: checked exhaustively on the
    // small log, one byte at a time on the recorded one.
    it('SYNTH_timestamped_trace, times shown: two chunks split at every byte offset', () =>
      twoChunksAtEveryOffset('SYNTH_timestamped_trace', { timestamps: 'show' }));
    it('recorded_raw_timestamped_trace, times shown: one byte at a time', () =>
      oneByteAtATime('recorded_raw_timestamped_trace', { timestamps: 'show' }));
  });
});
