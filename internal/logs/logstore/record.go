package logstore

import (
	"encoding/binary"
	"hash/crc32"
	"math"
)

const (
	magic       = "QSLOGSG1"
	headerLen   = int64(len(magic))
	recHead     = 8  // len + crc
	recFixed    = 24 // seq + ts + ing
	recOverhead = recHead + recFixed
	idxEntryLen = 64
	// maxRecord bounds a record's declared length so that a corrupt
	// length cannot make a reader allocate without limit.
	maxRecord = 16 << 20
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// Event is one stored log event. Message is only valid until the next
// call on the cursor that returned it, unless the method says otherwise.
type Event struct {
	Seq       uint64
	Timestamp int64 // ms since the epoch
	Ingestion int64 // ms since the epoch
	Message   []byte
}

// Input is an event to append.
type Input struct {
	Timestamp int64
	Message   []byte
}

// RecordSize is the bytes a message takes on disk.
func RecordSize(msgLen int) int64 { return int64(recOverhead + msgLen) }

// appendRecord encodes one record onto b.
func appendRecord(b []byte, seq uint64, ts, ing int64, msg []byte) []byte {
	n := len(b)
	b = append(b, make([]byte, recOverhead)...)
	b = append(b, msg...)
	binary.LittleEndian.PutUint32(b[n:], uint32(recFixed+len(msg)))
	binary.LittleEndian.PutUint64(b[n+8:], seq)
	binary.LittleEndian.PutUint64(b[n+16:], uint64(ts))
	binary.LittleEndian.PutUint64(b[n+24:], uint64(ing))
	binary.LittleEndian.PutUint32(b[n+4:], crc32.Checksum(b[n+8:], castagnoli))
	return b
}

// parseRecord decodes the record at the start of b. It returns the
// record's total size, or 0 when b holds only part of a record (need
// more bytes), or -1 when the bytes cannot be a record. With verify, a
// record whose CRC does not match returns -2 (its length, recordLen, is
// still usable to step over it).
func parseRecord(b []byte, ev *Event, verify bool) int {
	if len(b) < recHead {
		return 0
	}
	n := int(binary.LittleEndian.Uint32(b))
	if n < recFixed || n > maxRecord {
		return -1
	}
	if len(b) < recHead+n {
		return 0
	}
	body := b[recHead : recHead+n]
	if verify && crc32.Checksum(body, castagnoli) != binary.LittleEndian.Uint32(b[4:]) {
		return -2
	}
	ev.Seq = binary.LittleEndian.Uint64(body)
	ev.Timestamp = int64(binary.LittleEndian.Uint64(body[8:]))
	ev.Ingestion = int64(binary.LittleEndian.Uint64(body[16:]))
	ev.Message = body[recFixed:]
	return recHead + n
}

// recordLen is the total size of the record at the start of b, from its
// length field.
func recordLen(b []byte) int { return recHead + int(binary.LittleEndian.Uint32(b)) }

// block summarizes a run of consecutive records of one segment.
type block struct {
	Off       int64 // file offset of the first record
	Len       int64 // bytes of records
	FirstSeq  uint64
	Count     uint32
	MinTS     int64
	MaxTS     int64
	MaxIngest int64
	MsgBytes  int64
}

func emptyBlock(off int64) block {
	return block{Off: off, MinTS: math.MaxInt64, MaxTS: math.MinInt64, MaxIngest: math.MinInt64}
}

func (b *block) end() int64      { return b.Off + b.Len }
func (b *block) lastSeq() uint64 { return b.FirstSeq + uint64(b.Count) - 1 }

// add folds one record into the block.
func (b *block) add(seq uint64, ts, ing int64, msgLen int) {
	if b.Count == 0 {
		b.FirstSeq = seq
	}
	b.Count++
	b.Len += RecordSize(msgLen)
	b.MsgBytes += int64(msgLen)
	b.MinTS = min(b.MinTS, ts)
	b.MaxTS = max(b.MaxTS, ts)
	b.MaxIngest = max(b.MaxIngest, ing)
}

// merge folds another summary into b (for whole-segment summaries; the
// offsets and sequence range are not meaningful afterwards).
func (b *block) merge(o block) {
	if o.Count == 0 {
		return
	}
	if b.Count == 0 || o.FirstSeq < b.FirstSeq {
		b.FirstSeq = o.FirstSeq
	}
	b.Count += o.Count
	b.Len += o.Len
	b.MsgBytes += o.MsgBytes
	b.MinTS = min(b.MinTS, o.MinTS)
	b.MaxTS = max(b.MaxTS, o.MaxTS)
	b.MaxIngest = max(b.MaxIngest, o.MaxIngest)
}

// overlaps reports whether the block may hold events of r.
func (b *block) overlaps(r *Range) bool {
	if b.Count == 0 {
		return false
	}
	if r.AfterSeq > 0 && b.lastSeq() <= r.AfterSeq {
		return false
	}
	if r.BeforeSeq > 0 && b.FirstSeq >= r.BeforeSeq {
		return false
	}
	return b.MaxTS >= r.Start && b.MinTS < r.End
}

func encodeBlock(b block) []byte {
	e := make([]byte, idxEntryLen)
	le := binary.LittleEndian
	le.PutUint64(e[0:], uint64(b.Off))
	le.PutUint64(e[8:], uint64(b.Len))
	le.PutUint64(e[16:], b.FirstSeq)
	le.PutUint32(e[24:], b.Count)
	le.PutUint64(e[28:], uint64(b.MinTS))
	le.PutUint64(e[36:], uint64(b.MaxTS))
	le.PutUint64(e[44:], uint64(b.MaxIngest))
	le.PutUint64(e[52:], uint64(b.MsgBytes))
	le.PutUint32(e[60:], crc32.Checksum(e[:60], castagnoli))
	return e
}

func decodeBlock(e []byte) (block, bool) {
	le := binary.LittleEndian
	if len(e) < idxEntryLen || crc32.Checksum(e[:60], castagnoli) != le.Uint32(e[60:]) {
		return block{}, false
	}
	b := block{
		Off: int64(le.Uint64(e[0:])), Len: int64(le.Uint64(e[8:])), FirstSeq: le.Uint64(e[16:]),
		Count: le.Uint32(e[24:]), MinTS: int64(le.Uint64(e[28:])), MaxTS: int64(le.Uint64(e[36:])),
		MaxIngest: int64(le.Uint64(e[44:])), MsgBytes: int64(le.Uint64(e[52:])),
	}
	return b, b.Count > 0 && b.Len > 0 && b.Off >= headerLen
}
