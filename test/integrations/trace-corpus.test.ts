// The committed trace corpus (test/traces/: a sub-ID refutation, a seqcount bug, an rmap bug and a
// livelock lasso, written by the CLI) must keep replaying with every recorded state matching and
// its violation reproduced. A change to a model that alters any of them fails here until the
// trace is regenerated (`rmapcheck check ... --out`) and the change explained.
import { join } from 'path';
import { replayTraceFolder } from '../../integrations/vitest';

replayTraceFolder(join(__dirname, '..', 'traces'));
