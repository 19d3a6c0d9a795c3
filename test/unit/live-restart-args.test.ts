// The command a replacement transcoder runs: the same one, continuing the playlists.
import t from 'tap';
import { continuingArgs } from '../../media/live/pipeline.ts';

t.test('a replacement transcoder appends to the playlists and marks the seam', async (t) => {
  const args = ['-i', 'in.sdp', '-hls_flags', 'independent_segments+temp_file', '-hls_time', '1', 'out/%v/index.m3u8'];
  t.same(continuingArgs(args), ['-i', 'in.sdp', '-hls_flags', 'independent_segments+temp_file+append_list', '-hls_time', '1', 'out/%v/index.m3u8']);
  t.same(args[3], 'independent_segments+temp_file', 'the original command is left as it was');
});
