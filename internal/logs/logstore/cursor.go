package logstore

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
)

// Range selects events of a stream. The zero Range selects nothing; start
// from Everything.
type Range struct {
	AfterSeq  uint64 // only Seq > AfterSeq
	BeforeSeq uint64 // only Seq < BeforeSeq; 0 for no bound
	Start     int64  // only Timestamp >= Start
	End       int64  // only Timestamp < End
}

// Everything is the Range of every event.
func Everything() Range { return Range{Start: math.MinInt64, End: math.MaxInt64} }

func (r *Range) has(e *Event) bool {
	return e.Seq > r.AfterSeq && (r.BeforeSeq == 0 || e.Seq < r.BeforeSeq) &&
		e.Timestamp >= r.Start && e.Timestamp < r.End
}

// Cursor reads a stream's events forward, in sequence order.
type Cursor struct {
	dir  string
	segs []*segment
	r    Range

	si, ri  int     // next region to consider
	regions []block // of segs[si]
	run     []block // the regions being read
	f       *os.File
	fseg    int

	buf              []byte
	pos, n           int
	readOff, readEnd int64

	ev  Event
	err error
}

// Forward returns a cursor over the events of r, oldest first. A stream
// never written yields nothing. Close the cursor when done.
func (s *Store) Forward(id StreamID, r Range) (*Cursor, error) {
	return s.ForwardSized(id, r, 1<<20)
}

// ForwardSized is Forward with a read buffer of bufBytes (at least 4 KiB;
// it grows only for a record larger than the buffer). Callers merging
// many streams use smaller buffers to bound their memory.
func (s *Store) ForwardSized(id StreamID, r Range, bufBytes int) (*Cursor, error) {
	st, err := s.acquire(id)
	if err != nil {
		return nil, err
	}
	segs, _ := st.snapshot()
	s.release(st)
	c := &Cursor{dir: st.dir, segs: segs, r: r, fseg: -1, buf: make([]byte, max(bufBytes, 4<<10))}
	if len(segs) > 0 {
		c.regions = segs[0].regions()
	}
	return c, nil
}

// Next returns the next event, valid until the following call, or false
// at the end or on error (see Err).
func (c *Cursor) Next() (*Event, bool) {
	for c.err == nil {
		if c.pos < c.n {
			k := parseRecord(c.buf[c.pos:c.n], &c.ev, true)
			if k == -2 {
				c.pos += recordLen(c.buf[c.pos:]) // bit rot: skip the record
				continue
			}
			if k > 0 {
				c.pos += k
				if c.r.has(&c.ev) {
					return &c.ev, true
				}
				if c.r.BeforeSeq > 0 && c.ev.Seq >= c.r.BeforeSeq {
					return nil, false
				}
				continue
			}
			if k < 0 {
				// A damaged length: resume at the next block of the run.
				c.skipToNextBlock(c.readOff - int64(c.n-c.pos))
				continue
			}
		}
		if c.readOff < c.readEnd {
			c.fill()
			continue
		}
		if c.pos < c.n {
			// A record running past its run: a damaged length.
			c.skipToNextBlock(c.readOff - int64(c.n-c.pos))
			continue
		}
		if !c.nextRun() {
			return nil, false
		}
	}
	return nil, false
}

// Err is the error that ended the cursor, if any.
func (c *Cursor) Err() error { return c.err }

// Close releases the cursor's file.
func (c *Cursor) Close() {
	if c.f != nil {
		c.f.Close()
		c.f = nil
	}
}

func (c *Cursor) segPath() string {
	if c.fseg < 0 {
		return c.dir
	}
	return c.segs[c.fseg].path(c.dir)
}

// skipToNextBlock abandons the bytes at off and resumes reading at the
// start of the next block of the run, if any.
func (c *Cursor) skipToNextBlock(off int64) {
	c.pos, c.n = 0, 0
	for _, b := range c.run {
		if b.Off > off {
			c.readOff = b.Off
			return
		}
	}
	c.readOff = c.readEnd
}

// fill reads the next chunk of the current run after the unparsed bytes.
func (c *Cursor) fill() {
	rem := copy(c.buf, c.buf[c.pos:c.n])
	c.pos, c.n = 0, rem
	if rem >= recHead {
		need := recHead + int(uint32(c.buf[0])|uint32(c.buf[1])<<8|uint32(c.buf[2])<<16|uint32(c.buf[3])<<24)
		if need > len(c.buf) && need <= maxRecord+recHead {
			nb := make([]byte, need)
			copy(nb, c.buf[:rem])
			c.buf = nb
		}
	}
	want := min(int64(len(c.buf)-rem), c.readEnd-c.readOff)
	got, err := c.f.ReadAt(c.buf[rem:rem+int(want)], c.readOff)
	c.n += got
	c.readOff += int64(got)
	if err != nil && !(errors.Is(err, io.EOF) && int64(got) == want) {
		c.err = fmt.Errorf("logstore: read %s: %w", c.segPath(), err)
	}
}

// nextRun finds the next run of contiguous regions that overlap the range
// and positions the reader at its start.
func (c *Cursor) nextRun() bool {
	for c.si < len(c.segs) {
		for c.ri < len(c.regions) {
			b := &c.regions[c.ri]
			c.ri++
			if c.r.BeforeSeq > 0 && b.Count > 0 && b.FirstSeq >= c.r.BeforeSeq {
				c.si = len(c.segs)
				return false
			}
			if !b.overlaps(&c.r) {
				continue
			}
			first := c.ri - 1
			start, end := b.Off, b.end()
			for c.ri < len(c.regions) && c.regions[c.ri].overlaps(&c.r) {
				end = c.regions[c.ri].end()
				c.ri++
			}
			c.run = c.regions[first:c.ri]
			if c.fseg != c.si {
				c.Close()
				f, err := os.Open(c.segs[c.si].path(c.dir))
				if errors.Is(err, fs.ErrNotExist) {
					break // trimmed or deleted since the snapshot: skip it
				}
				if err != nil {
					c.err = err
					return false
				}
				c.f, c.fseg = f, c.si
			}
			c.readOff, c.readEnd, c.pos, c.n = start, end, 0, 0
			return true
		}
		c.si++
		c.ri = 0
		if c.si < len(c.segs) {
			c.regions = c.segs[c.si].regions()
		}
	}
	return false
}

// Head returns up to max events of r, oldest first, stopping before the
// events' size (message bytes plus 26 per event) would pass maxBytes; the
// first event is always returned, so a reader always makes progress.
// The events own their messages. more reports whether events remain.
func (s *Store) Head(id StreamID, r Range, max int, maxBytes int) (evs []Event, more bool, err error) {
	c, err := s.Forward(id, r)
	if err != nil {
		return nil, false, err
	}
	defer c.Close()
	size := 0
	for {
		e, ok := c.Next()
		if !ok {
			return evs, false, c.Err()
		}
		if len(evs) >= max || (len(evs) > 0 && size+len(e.Message)+26 > maxBytes) {
			return evs, true, nil
		}
		size += len(e.Message) + 26
		evs = append(evs, Event{Seq: e.Seq, Timestamp: e.Timestamp, Ingestion: e.Ingestion, Message: append([]byte(nil), e.Message...)})
	}
}

// Tail returns up to max of the newest events of r, oldest first,
// stopping before their size would pass maxBytes. It reads whole blocks
// backward from the end, so the newest events of any stream cost one or
// two small reads. more reports whether older events of r remain.
func (s *Store) Tail(id StreamID, r Range, max int, maxBytes int) (evs []Event, more bool, err error) {
	st, err := s.acquire(id)
	if err != nil {
		return nil, false, err
	}
	segs, _ := st.snapshot()
	s.release(st)
	var buf []byte
	var offs []int
	size := 0
	for si := len(segs) - 1; si >= 0; si-- {
		regs := segs[si].regions()
		var f *os.File
		for ri := len(regs) - 1; ri >= 0; ri-- {
			b := regs[ri]
			if !b.overlaps(&r) {
				continue
			}
			if f == nil {
				if f, err = os.Open(segs[si].path(st.dir)); errors.Is(err, fs.ErrNotExist) {
					break
				} else if err != nil {
					return nil, false, err
				}
				defer f.Close()
			}
			if int64(cap(buf)) < b.Len {
				buf = make([]byte, b.Len)
			}
			buf = buf[:b.Len]
			if _, err := f.ReadAt(buf, b.Off); err != nil {
				return nil, false, fmt.Errorf("logstore: read %s: %w", segs[si].path(st.dir), err)
			}
			offs = offs[:0]
			var ev Event
			for p := 0; p < len(buf); {
				k := parseRecord(buf[p:], &ev, true)
				if k == -2 {
					p += recordLen(buf[p:]) // bit rot: skip the record
					continue
				}
				if k <= 0 {
					break // a damaged length: keep what was read of the block
				}
				if r.has(&ev) {
					offs = append(offs, p)
				}
				p += k
			}
			for i := len(offs) - 1; i >= 0; i-- {
				parseRecord(buf[offs[i]:], &ev, false)
				if len(evs) >= max || (len(evs) > 0 && size+len(ev.Message)+26 > maxBytes) {
					reverse(evs)
					return evs, true, nil
				}
				size += len(ev.Message) + 26
				evs = append(evs, Event{Seq: ev.Seq, Timestamp: ev.Timestamp, Ingestion: ev.Ingestion, Message: append([]byte(nil), ev.Message...)})
			}
		}
	}
	reverse(evs)
	return evs, false, nil
}

func reverse(evs []Event) {
	for i, j := 0, len(evs)-1; i < j; i, j = i+1, j-1 {
		evs[i], evs[j] = evs[j], evs[i]
	}
}
