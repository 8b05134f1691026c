package ecs

import (
	"math"
	"strconv"
	"strings"

	"github.com/quayside/quayside/internal/fault"
)

// CPUUnitsPerVCPU is how many CPU units make one vCPU.
const CPUUnitsPerVCPU = 1024

// MiBPerGB is how many MiB ECS counts in a "GB".
const MiBPerGB = 1024

// maxUnits bounds parsed sizes; ECS models sizes as 32-bit integers.
const maxUnits = math.MaxInt32

// Task-level CPU bounds on EC2, in CPU units.
const (
	MinTaskCPU = 128
	MaxTaskCPU = 196608
)

// ParseCPU reads a task-level cpu value: CPU units ("1024") or vCPUs
// ("1 vCPU", "0.25 vcpu", "2vCPU"). It returns CPU units. Errors are
// ECS's ClientException "Invalid 'cpu' setting for task.".
func ParseCPU(s string) (int, error) {
	n, ok := parseSize(s, "vcpu", CPUUnitsPerVCPU)
	if !ok {
		return 0, fault.New(ErrClient, "Invalid 'cpu' setting for task.")
	}
	return n, nil
}

// ParseMemory reads a task-level memory value: MiB ("2048") or GB
// ("2 GB", "0.5GB", "2 gb"). It returns MiB. Errors are ClientExceptions
// worded like ECS's cpu message ("Invalid 'memory' setting for task.";
// not confirmed word for word).
func ParseMemory(s string) (int, error) {
	n, ok := parseSize(s, "gb", MiBPerGB)
	if !ok {
		return 0, fault.New(ErrClient, "Invalid 'memory' setting for task.")
	}
	return n, nil
}

// parseSize reads either a positive integer count of base units, or a
// decimal number followed by unit (case-insensitive, optional space)
// that is multiplied by per and must come to a whole number.
func parseSize(s, unit string, per int) (int, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, false
	}
	if len(s) > len(unit) && strings.EqualFold(s[len(s)-len(unit):], unit) {
		num := strings.TrimSpace(s[:len(s)-len(unit)])
		if num == "" || strings.Trim(num, "0123456789.") != "" || strings.Count(num, ".") > 1 {
			return 0, false
		}
		f, err := strconv.ParseFloat(num, 64)
		if err != nil || f <= 0 {
			return 0, false
		}
		v := f * float64(per)
		r := math.Round(v)
		if math.Abs(v-r) > 1e-6 || r < 1 || r > maxUnits {
			return 0, false
		}
		return int(r), true
	}
	if strings.Trim(s, "0123456789") != "" {
		return 0, false
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > maxUnits {
		return 0, false
	}
	return n, true
}
