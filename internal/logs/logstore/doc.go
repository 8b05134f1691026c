// Package logstore keeps log events on disk: durable, append-only segment
// files per log stream, indexed by sequence number and time, read forward
// and backward in bounded memory.
//
// It knows nothing of names, regions or AWS: a stream is a pair of
// numbers (group, stream) handed out by package logs, which keeps the
// names in the metadata store.
//
// # On-disk layout
//
//	<dir>/                            usually <data dir>/logs
//	├── LOCK                          flock'd by the one process using dir
//	└── <group id, 16 hex>/           one per log group; deleting a group
//	    └── <stream id, 16 hex>/      removes the directory
//	        ├── 0000000000000001.0.seg   segment <base>.<gen>: the records
//	        ├── 0000000000000001.0.idx   its block index (derivable)
//	        ├── 0000000000000002.0.seg   ... the last segment is the active
//	        └── 0000000000000002.0.idx       one, the only one appended to
//
// A segment is sealed and a new one started when it reaches
// Options.SegmentBytes or has been active for Options.SegmentAge, so
// retention can drop whole files. A retention trim that expires part of a
// segment rewrites it as generation gen+1 (tmp file, fsync, rename), then
// removes generation gen.
//
// # Segment file
//
//	offset 0   "QSLOGSG1"                      8-byte magic and version
//	offset 8   record, record, ...             appended, fsync'd per batch
//
//	record:    len  u32   bytes after the CRC: 24 + len(message)
//	           crc  u32   CRC-32C of the bytes after it (seq..message)
//	           seq  u64   per-stream sequence number, from 1, never reused
//	           ts   i64   event timestamp, ms since the epoch
//	           ing  i64   ingestion time, ms since the epoch
//	           msg  [len-24]byte
//
// All integers are little-endian. An append is acknowledged only after
// fsync. On open, records past the last indexed block are re-read and
// checked (length, CRC, sequence); the first bad one marks a torn tail
// left by a crash, and the file is truncated there.
//
// # Index file
//
// Records are grouped into blocks of about Options.BlockBytes. Each
// block's summary is one 64-byte entry, appended to the .idx file after
// the block's records are durable:
//
//	off u64 · len u64 · firstSeq u64 · count u32 · minTS i64 · maxTS i64 ·
//	maxIngest i64 · msgBytes u64 · crc u32 (CRC-32C of the 60 bytes before)
//
// The index is a cache: a missing, short or corrupt index is rebuilt by
// reading the segment. Readers skip whole blocks by sequence and time, so
// the newest events of a huge stream are one small read away, and a
// time-bounded scan touches only the blocks that overlap it.
//
// # Concurrency and memory
//
// Appends to one stream are serialized (write, fsync, publish); readers
// take a snapshot of the published segments and read with their own file
// handles, so they never see unacknowledged data and never block
// writers. At most Options.MaxOpenStreams streams keep their index and
// active file open; others are reopened on use. A reader holds one
// buffer (≥ 1 MiB, larger only for a larger record) whatever the stream's
// size.
package logstore
