package logstore

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// segment is one segment file as readers see it. Published segments are
// never modified in place: the writer publishes a new value.
type segment struct {
	base   uint64
	gen    uint32
	blocks []block // closed blocks, in file order
	tail   block   // records after the last closed block (active segment)
	size   int64   // durable bytes: readers never read past it
	sum    block   // summary of every record in the segment
}

func segName(base uint64, gen uint32, ext string) string {
	return fmt.Sprintf("%016x.%d.%s", base, gen, ext)
}

func (s *segment) path(dir string) string { return filepath.Join(dir, segName(s.base, s.gen, "seg")) }
func (s *segment) idxPath(dir string) string {
	return filepath.Join(dir, segName(s.base, s.gen, "idx"))
}

// regions returns the block summaries a reader walks: the closed blocks,
// then the tail when it holds records.
func (s *segment) regions() []block {
	if s.tail.Count == 0 {
		return s.blocks
	}
	out := make([]block, len(s.blocks), len(s.blocks)+1)
	copy(out, s.blocks)
	return append(out, s.tail)
}

// parseSegName reads "<base>.<gen>.<ext>".
func parseSegName(name string) (base uint64, gen uint32, ext string, ok bool) {
	parts := strings.Split(name, ".")
	if len(parts) != 3 || len(parts[0]) != 16 {
		return 0, 0, "", false
	}
	b, err1 := strconv.ParseUint(parts[0], 16, 64)
	g, err2 := strconv.ParseUint(parts[1], 10, 32)
	if err1 != nil || err2 != nil {
		return 0, 0, "", false
	}
	return b, uint32(g), parts[2], true
}

// listSegments finds a stream directory's segments, removing leftovers of
// interrupted rewrites: tmp files, older generations, and indexes without
// a segment.
func listSegments(dir string) ([]*segment, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	best := map[uint64]uint32{}
	type file struct {
		base uint64
		gen  uint32
		ext  string
	}
	var files []file
	for _, e := range entries {
		name := e.Name()
		if strings.HasSuffix(name, ".tmp") {
			_ = os.Remove(filepath.Join(dir, name))
			continue
		}
		b, g, ext, ok := parseSegName(name)
		if !ok {
			continue
		}
		files = append(files, file{b, g, ext})
		if ext == "seg" {
			if cur, seen := best[b]; !seen || g > cur {
				best[b] = g
			}
		}
	}
	for _, f := range files {
		if g, ok := best[f.base]; !ok || g != f.gen {
			_ = os.Remove(filepath.Join(dir, segName(f.base, f.gen, f.ext)))
		}
	}
	segs := make([]*segment, 0, len(best))
	for b, g := range best {
		segs = append(segs, &segment{base: b, gen: g})
	}
	sort.Slice(segs, func(i, j int) bool { return segs[i].base < segs[j].base })
	return segs, nil
}

// load reads a segment's index and checks the records it does not cover,
// truncating a torn tail. It returns the index entries it had to add, for
// the caller to append to the .idx file. blockBytes sets the size of
// blocks built while scanning.
func (s *segment) load(dir string, blockBytes int64, nextSeq uint64) (added []block, err error) {
	f, err := os.OpenFile(s.path(dir), os.O_RDWR, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	size := st.Size()
	var head [len(magic)]byte
	if size < headerLen {
		// A segment torn before its header was durable: start it again.
		if err := rewriteHeader(f); err != nil {
			return nil, err
		}
		size = headerLen
	} else if _, err := f.ReadAt(head[:], 0); err != nil || string(head[:]) != magic {
		return nil, fmt.Errorf("logstore: %s is not a segment file (bad magic)", s.path(dir))
	}
	s.blocks = readIndex(s.idxPath(dir), size, nextSeq)
	covered := headerLen
	if n := len(s.blocks); n > 0 {
		covered = s.blocks[n-1].end()
		nextSeq = s.blocks[n-1].lastSeq() + 1
	}
	added, good, err := scanTail(f, covered, size, blockBytes, nextSeq)
	if err != nil {
		return nil, err
	}
	if good < size {
		if err := f.Truncate(good); err != nil {
			return nil, fmt.Errorf("logstore: truncate torn tail of %s: %w", s.path(dir), err)
		}
		if err := f.Sync(); err != nil {
			return nil, err
		}
	}
	s.blocks = append(s.blocks, added...)
	s.size = good
	s.tail = emptyBlock(good)
	s.sum = emptyBlock(0)
	for _, b := range s.blocks {
		s.sum.merge(b)
	}
	return added, nil
}

func rewriteHeader(f *os.File) error {
	if err := f.Truncate(0); err != nil {
		return err
	}
	if _, err := f.WriteAt([]byte(magic), 0); err != nil {
		return err
	}
	return f.Sync()
}

// readIndex loads the valid prefix of an index: entries with good CRCs
// that tile the file from the header on, with increasing sequence
// numbers, within size.
func readIndex(path string, size int64, nextSeq uint64) []block {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil
	}
	var out []block
	off := headerLen
	for len(b) >= idxEntryLen {
		e, ok := decodeBlock(b[:idxEntryLen])
		if !ok || e.Off != off || e.end() > size || (nextSeq > 0 && e.FirstSeq < nextSeq) {
			break
		}
		out = append(out, e)
		off, nextSeq = e.end(), e.lastSeq()+1
		b = b[idxEntryLen:]
	}
	return out
}

// scanTail reads and verifies the records in [from, size), grouping them
// into blocks of about blockBytes. It returns the blocks and the offset
// after the last good record.
func scanTail(f *os.File, from, size, blockBytes int64, nextSeq uint64) ([]block, int64, error) {
	if from >= size {
		return nil, from, nil
	}
	r := bufio.NewReaderSize(io.NewSectionReader(f, from, size-from), 1<<20)
	var blocks []block
	cur := emptyBlock(from)
	off := from
	buf := make([]byte, 0, 64<<10)
	var ev Event
	for {
		hdr, err := r.Peek(recHead)
		if err != nil {
			break // EOF or a partial header: the tail ends here
		}
		n := int(uint32(hdr[0]) | uint32(hdr[1])<<8 | uint32(hdr[2])<<16 | uint32(hdr[3])<<24)
		if n < recFixed || n > maxRecord || int64(recHead+n) > size-off {
			break
		}
		buf = buf[:0]
		if cap(buf) < recHead+n {
			buf = make([]byte, 0, recHead+n)
		}
		buf = buf[:recHead+n]
		if _, err := io.ReadFull(r, buf); err != nil {
			if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
				break
			}
			return nil, 0, err
		}
		if parseRecord(buf, &ev, true) <= 0 || (nextSeq > 0 && ev.Seq < nextSeq) {
			break
		}
		nextSeq = ev.Seq + 1
		cur.add(ev.Seq, ev.Timestamp, ev.Ingestion, len(ev.Message))
		off += int64(len(buf))
		if cur.Len >= blockBytes {
			blocks = append(blocks, cur)
			cur = emptyBlock(off)
		}
	}
	if cur.Count > 0 {
		blocks = append(blocks, cur)
	}
	return blocks, off, nil
}
