package main

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"time"
)

// A packet is one TCP segment with a payload, as tcpdump captured it on
// loopback: when the sender's write handed it to the device.
type packet struct {
	at               time.Duration // since the capture's first packet
	srcPort, dstPort uint16
	src, dst         [4]byte
	payload          []byte // what the snap length kept of it
}

// readPcap reads a classic pcap file (micro- or nanosecond timestamps) of
// IPv4 TCP and returns the segments that carry a payload, in order.
// Ethernet (loopback's), Linux cooked (v1 and v2), BSD null and raw IP
// link types are understood.
func readPcap(r io.Reader) ([]packet, error) {
	br := bufio.NewReaderSize(r, 1<<20)
	var gh [24]byte
	if _, err := io.ReadFull(br, gh[:]); err != nil {
		return nil, fmt.Errorf("pcap header: %w", err)
	}
	var order binary.ByteOrder
	var nano bool
	switch m := binary.LittleEndian.Uint32(gh[:4]); m {
	case 0xa1b2c3d4, 0xa1b23c4d:
		order, nano = binary.LittleEndian, m == 0xa1b23c4d
	case 0xd4c3b2a1, 0x4d3cb2a1:
		order, nano = binary.BigEndian, m == 0x4d3cb2a1
	default:
		return nil, fmt.Errorf("not a pcap file (magic %#x)", m)
	}
	var linkLen int
	switch lt := order.Uint32(gh[20:24]) & 0xffff; lt {
	case 1:
		linkLen = 14
	case 113:
		linkLen = 16
	case 276:
		linkLen = 20
	case 0:
		linkLen = 4
	case 101, 228:
		linkLen = 0
	default:
		return nil, fmt.Errorf("pcap link type %d not understood", lt)
	}
	var out []packet
	var first time.Duration
	var rh [16]byte
	buf := make([]byte, 0, 256)
	for n := 0; ; n++ {
		if _, err := io.ReadFull(br, rh[:]); err != nil {
			if errors.Is(err, io.EOF) {
				return out, nil
			}
			if errors.Is(err, io.ErrUnexpectedEOF) {
				return out, nil // tcpdump stopped mid-record
			}
			return nil, err
		}
		incl := int(order.Uint32(rh[8:12]))
		if incl > 1<<18 {
			return nil, fmt.Errorf("packet %d: captured length %d", n, incl)
		}
		if cap(buf) < incl {
			buf = make([]byte, incl)
		}
		buf = buf[:incl]
		if _, err := io.ReadFull(br, buf); err != nil {
			return out, nil
		}
		sub := time.Duration(order.Uint32(rh[4:8]))
		if !nano {
			sub *= time.Microsecond
		}
		at := time.Duration(order.Uint32(rh[0:4]))*time.Second + sub
		if n == 0 {
			first = at
		}
		if p, ok := tcpSegment(buf, linkLen); ok {
			p.at = at - first
			out = append(out, p)
		}
	}
}

// tcpSegment decodes an IPv4 TCP segment after linkLen bytes of link
// header; ok is false for anything else and for segments without payload.
func tcpSegment(b []byte, linkLen int) (packet, bool) {
	if len(b) < linkLen+20 {
		return packet{}, false
	}
	ip := b[linkLen:]
	if ip[0]>>4 != 4 || ip[9] != 6 {
		return packet{}, false
	}
	ihl := int(ip[0]&0x0f) * 4
	total := int(binary.BigEndian.Uint16(ip[2:4]))
	if ihl < 20 || len(ip) < ihl+20 || total < ihl+20 {
		return packet{}, false
	}
	tcp := ip[ihl:]
	off := int(tcp[12]>>4) * 4
	if off < 20 || total-ihl-off <= 0 {
		return packet{}, false
	}
	p := packet{srcPort: binary.BigEndian.Uint16(tcp[0:2]), dstPort: binary.BigEndian.Uint16(tcp[2:4])}
	copy(p.src[:], ip[12:16])
	copy(p.dst[:], ip[16:20])
	if len(tcp) > off {
		p.payload = bytes.Clone(tcp[off:])
	}
	return p, true
}
