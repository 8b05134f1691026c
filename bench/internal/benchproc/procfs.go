package benchproc

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

const clockTicks = 100 // USER_HZ on Linux: /proc counts CPU time in 10 ms ticks

// RSS is the resident memory of process pid in bytes (VmRSS of
// /proc/PID/status); 0 when unknown.
func RSS(pid int) int64 {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmRSS:"); ok {
			kb, _ := strconv.ParseInt(strings.Fields(rest)[0], 10, 64)
			return kb << 10
		}
	}
	return 0
}

// CPUTime is the CPU time (user+system) process pid has used so far; 0
// when unknown.
func CPUTime(pid int) time.Duration {
	ticks, ok := cpuTicks(pid)
	if !ok {
		return 0
	}
	return time.Duration(ticks) * (time.Second / clockTicks)
}

// CPUSeconds is CPUTime in seconds, computed from /proc's ticks; -1 when
// unknown.
func CPUSeconds(pid int) float64 {
	ticks, ok := cpuTicks(pid)
	if !ok {
		return -1
	}
	return float64(ticks) / clockTicks
}

// cpuTicks reads utime+stime from /proc/PID/stat.
func cpuTicks(pid int) (int64, bool) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, false
	}
	return statTicks(string(b))
}

// statTicks is utime+stime of a /proc/PID/stat line.
func statTicks(stat string) (int64, bool) {
	// The command name may hold spaces; the fields we want follow its ')'.
	i := strings.LastIndexByte(stat, ')')
	if i < 0 {
		return 0, false
	}
	f := strings.Fields(stat[i+1:])
	if len(f) < 13 {
		return 0, false
	}
	utime, err1 := strconv.ParseInt(f[11], 10, 64)
	stime, err2 := strconv.ParseInt(f[12], 10, 64)
	if err1 != nil || err2 != nil {
		return 0, false
	}
	return utime + stime, true
}

// MachineCPUSeconds is the CPU time every core of the machine has spent
// busy (not idle or waiting for I/O; guest time is in user time already),
// from the first line of /proc/stat; -1 when unknown.
func MachineCPUSeconds() float64 {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return -1
	}
	line, _, _ := strings.Cut(string(b), "\n")
	f := strings.Fields(line)
	if len(f) < 9 || f[0] != "cpu" {
		return -1
	}
	var busy float64
	for i, v := range f[1:9] {
		if i == 3 || i == 4 { // idle, iowait
			continue
		}
		n, err := strconv.ParseFloat(v, 64)
		if err != nil {
			return -1
		}
		busy += n
	}
	return busy / clockTicks
}

// LoadAvg is the machine's 1-minute load average; -1 when unknown.
func LoadAvg() float64 {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return -1
	}
	f := strings.Fields(string(b))
	if len(f) == 0 {
		return -1
	}
	v, err := strconv.ParseFloat(f[0], 64)
	if err != nil {
		return -1
	}
	return v
}
