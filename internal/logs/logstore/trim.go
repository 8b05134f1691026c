package logstore

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// lastSeqFile remembers a stream's last sequence number once retention
// has removed every record, so that numbers are never handed out twice.
const lastSeqFile = "lastseq"

// Trim deletes a stream's events older than cutoff (Timestamp < cutoff)
// and reclaims their disk: wholly expired segments are deleted, partly
// expired ones rewritten without the expired events. It returns the
// number of events removed.
func (s *Store) Trim(id StreamID, cutoff int64) (removed uint64, err error) {
	st, err := s.acquire(id)
	if err != nil {
		return 0, err
	}
	defer s.release(st)
	st.writeMu.Lock()
	defer st.writeMu.Unlock()
	if st.closed || st.deleted {
		return 0, nil
	}
	segs, last := st.snapshot()
	needs := false
	for _, seg := range segs {
		needs = needs || (seg.sum.Count > 0 && seg.sum.MinTS < cutoff)
	}
	if !needs {
		return 0, nil
	}
	st.seal() // the active segment becomes immutable; appends start a new one
	segs, last = st.snapshot()
	var kept []*segment
	for i, seg := range segs {
		switch {
		case seg.sum.Count == 0 || seg.sum.MinTS >= cutoff:
			kept = append(kept, seg)
		case seg.sum.MaxTS < cutoff:
			removed += uint64(seg.sum.Count)
			if err := st.removeSegment(seg); err != nil {
				st.publish(append(kept, segs[i:]...), last)
				return removed, err
			}
		default:
			ns, n, err := st.rewrite(seg, cutoff)
			if err != nil {
				st.publish(append(kept, segs[i:]...), last)
				return removed, err
			}
			removed += n
			if ns != nil {
				kept = append(kept, ns)
			}
		}
	}
	st.publish(kept, last)
	if removed > 0 {
		if err := st.saveLastSeq(last); err != nil {
			return removed, err
		}
	}
	s.mu.Lock()
	delete(s.groupBytes, id.Group)
	s.mu.Unlock()
	return removed, nil
}

func (st *stream) removeSegment(seg *segment) error {
	if err := os.Remove(seg.path(st.dir)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return st.s.ioErr("delete expired segment", err)
	}
	_ = os.Remove(seg.idxPath(st.dir))
	return nil
}

// rewrite copies the unexpired records of seg into generation gen+1 and
// replaces seg with it. Blocks wholly unexpired are copied as they are;
// blocks that straddle the cutoff are filtered record by record. It
// returns nil when nothing survives.
func (st *stream) rewrite(seg *segment, cutoff int64) (*segment, uint64, error) {
	src, err := os.Open(seg.path(st.dir))
	if err != nil {
		return nil, 0, err
	}
	defer src.Close()
	ns := &segment{base: seg.base, gen: seg.gen + 1, sum: emptyBlock(0)}
	tmp := ns.path(st.dir) + ".tmp"
	dst, err := os.OpenFile(tmp, os.O_RDWR|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return nil, 0, st.s.ioErr("create rewritten segment", err)
	}
	defer func() {
		if dst != nil {
			dst.Close()
			os.Remove(tmp)
		}
	}()
	if _, err := dst.Write([]byte(magic)); err != nil {
		return nil, 0, st.s.ioErr("write rewritten segment", err)
	}
	off := headerLen
	var removed uint64
	var buf []byte
	for _, b := range seg.blocks {
		switch {
		case b.MaxTS < cutoff:
			removed += uint64(b.Count)
			continue
		case b.MinTS >= cutoff:
			if _, err := io.Copy(dst, io.NewSectionReader(src, b.Off, b.Len)); err != nil {
				return nil, 0, st.s.ioErr("copy segment block", err)
			}
			b.Off = off
			ns.blocks = append(ns.blocks, b)
			off += b.Len
			continue
		}
		if int64(cap(buf)) < b.Len {
			buf = make([]byte, b.Len)
		}
		buf = buf[:b.Len]
		if _, err := src.ReadAt(buf, b.Off); err != nil {
			return nil, 0, err
		}
		nb := emptyBlock(off)
		var out []byte
		var ev Event
		for p := 0; p < len(buf); {
			k := parseRecord(buf[p:], &ev, true)
			if k == -2 { // bit rot: drop the record
				p += recordLen(buf[p:])
				removed++
				continue
			}
			if k <= 0 {
				break // a damaged length: the rest of the block is lost
			}
			if ev.Timestamp >= cutoff {
				out = append(out, buf[p:p+k]...)
				nb.add(ev.Seq, ev.Timestamp, ev.Ingestion, len(ev.Message))
			} else {
				removed++
			}
			p += k
		}
		if nb.Count > 0 {
			if _, err := dst.Write(out); err != nil {
				return nil, 0, st.s.ioErr("write rewritten segment", err)
			}
			ns.blocks = append(ns.blocks, nb)
			off += nb.Len
		}
	}
	if len(ns.blocks) == 0 {
		return nil, removed, st.removeSegment(seg)
	}
	ns.size, ns.tail = off, emptyBlock(off)
	for _, b := range ns.blocks {
		ns.sum.merge(b)
	}
	if err := dst.Sync(); err != nil {
		return nil, 0, st.s.ioErr("sync rewritten segment", err)
	}
	if err := writeIndexFile(ns.idxPath(st.dir), ns.blocks); err != nil {
		return nil, 0, st.s.ioErr("write rewritten index", err)
	}
	if err := os.Rename(tmp, ns.path(st.dir)); err != nil {
		return nil, 0, st.s.ioErr("install rewritten segment", err)
	}
	dst.Close()
	dst = nil
	if err := syncDir(st.dir); err != nil {
		return nil, 0, st.s.ioErr("sync stream directory", err)
	}
	_ = st.removeSegment(seg)
	return ns, removed, nil
}

// writeIndexFile writes a whole index durably (tmp, fsync, rename).
func writeIndexFile(path string, blocks []block) error {
	buf := make([]byte, 0, len(blocks)*idxEntryLen)
	for _, b := range blocks {
		buf = append(buf, encodeBlock(b)...)
	}
	return writeFileAtomic(path, buf)
}

func writeFileAtomic(path string, b []byte) error {
	tmp := path + ".tmp"
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	if _, err := f.Write(b); err != nil {
		f.Close()
		os.Remove(tmp)
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		os.Remove(tmp)
		return err
	}
	f.Close()
	return os.Rename(tmp, path)
}

func (st *stream) saveLastSeq(last uint64) error {
	if last == 0 {
		return nil
	}
	if err := writeFileAtomic(filepath.Join(st.dir, lastSeqFile), []byte(strconv.FormatUint(last, 10)+"\n")); err != nil {
		return st.s.ioErr("record last sequence number", err)
	}
	return syncDir(st.dir)
}

func readLastSeq(dir string) uint64 {
	b, err := os.ReadFile(filepath.Join(dir, lastSeqFile))
	if err != nil {
		return 0
	}
	n, _ := strconv.ParseUint(strings.TrimSpace(string(b)), 10, 64)
	return n
}
