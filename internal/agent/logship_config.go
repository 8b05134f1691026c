package agent

// This file reads a container's awslogs options, as Docker's awslogs
// driver reads them, into the shipper's configuration. It is pure: no
// Docker, no clock.

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/quayside/quayside/internal/ecs"
)

// awslogs options beyond those package ecs names: Docker's own and its
// generic delivery options.
const (
	awslogsDatetimeFormat   = "awslogs-datetime-format"
	awslogsMultilinePattern = "awslogs-multiline-pattern"
	logOptMode              = "mode"
	logOptMaxBufferSize     = "max-buffer-size"
)

// defaultMaxBufferSize is Docker's max-buffer-size default for
// mode=non-blocking: 1m.
const defaultMaxBufferSize = 1 << 20

// awslogsConfig is where and how one container's output is shipped.
type awslogsConfig struct {
	Region, Account string
	Group           string
	// Stream is "<prefix>/<container>/<task-id>", or the Docker container
	// ID when there is no awslogs-stream-prefix (as Docker names it);
	// empty until the container exists.
	Stream      string
	CreateGroup bool
	// Multiline, if set, starts a new event at each line it matches;
	// other lines join the event before them.
	Multiline *regexp.Regexp
	// NonBlocking drops lines once MaxBuffer bytes wait to be shipped,
	// instead of reading Docker's log no faster than it is shipped.
	NonBlocking bool
	MaxBuffer   int
	// TTY means Docker keeps the container's output as raw text, not in
	// the multiplexed format (pseudoTerminal).
	TTY bool
}

// parseAWSLogs reads the awslogs configuration of container c of a task
// (its ARN gives the default region, the account and the task ID);
// dockerID names the stream when there is no prefix and may be empty. ok
// is false for a container that does not use awslogs. err reads as
// Docker's validation error for bad options.
func parseAWSLogs(c ecs.ContainerDefinition, taskARN, dockerID string) (cfg awslogsConfig, ok bool, err error) {
	lc := c.LogConfiguration
	if lc == nil || lc.LogDriver != ecs.LogDriverAWSLogs {
		return awslogsConfig{}, false, nil
	}
	o := lc.Options
	taskRegion, account := arnScope(taskARN)
	cfg = awslogsConfig{Region: o[ecs.AWSLogsRegion], Account: account, Group: o[ecs.AWSLogsGroup], TTY: c.PseudoTerminal}
	if cfg.Region == "" {
		cfg.Region = taskRegion
	}
	if cfg.Group == "" {
		return cfg, true, fmt.Errorf("must specify a value for log opt '%s'", ecs.AWSLogsGroup)
	}
	if v := o[ecs.AWSLogsCreateGroup]; v != "" {
		if cfg.CreateGroup, err = strconv.ParseBool(v); err != nil {
			return cfg, true, fmt.Errorf("must specify valid value for log opt '%s': %v", ecs.AWSLogsCreateGroup, err)
		}
	}
	if cfg.Multiline, err = multilinePattern(o); err != nil {
		return cfg, true, err
	}
	if cfg.NonBlocking, cfg.MaxBuffer, err = deliveryMode(o); err != nil {
		return cfg, true, err
	}
	if prefix := o[ecs.AWSLogsStreamPrefix]; prefix != "" {
		cfg.Stream = prefix + "/" + c.Name + "/" + taskIDOf(taskARN)
	} else {
		cfg.Stream = dockerID
	}
	return cfg, true, nil
}

// multilinePattern compiles awslogs-multiline-pattern, or
// awslogs-datetime-format converted to a regular expression. Docker
// refuses both at once.
func multilinePattern(o map[string]string) (*regexp.Regexp, error) {
	format, hasFormat := o[awslogsDatetimeFormat]
	pattern, hasPattern := o[awslogsMultilinePattern]
	if hasFormat && hasPattern {
		return nil, fmt.Errorf("you cannot configure log opt '%s' and '%s' at the same time", awslogsDatetimeFormat, awslogsMultilinePattern)
	}
	if format != "" {
		pattern = datetimeFormatRegexp(format)
	}
	if pattern == "" {
		return nil, nil
	}
	re, err := regexp.Compile(pattern)
	if err != nil {
		return nil, fmt.Errorf("awslogs could not parse multiline pattern key %q: %w", pattern, err)
	}
	return re, nil
}

// strftimeRegexps is Docker's table for awslogs-datetime-format: each
// strftime sequence and the regular expression it stands for. %a %A %w:
// weekday (short, full, 0-6 from Sunday); %d day; %b %B %m month (short,
// full, 01-12); %Y %y year; %H %I hour (24, 12); %p AM or PM; %M minute;
// %S second; %f microseconds; %z UTC offset; %Z zone name; %j day of the
// year; %L milliseconds with their dot.
var strftimeRegexps = map[string]string{
	"%a": `(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)`,
	"%A": `(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)`,
	"%w": `[0-6]`,
	"%d": `(?:0[1-9]|[1,2][0-9]|3[0,1])`,
	"%b": `(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)`,
	"%B": `(?:January|February|March|April|May|June|July|August|September|October|November|December)`,
	"%m": `(?:0[1-9]|1[0-2])`,
	"%Y": `\d{4}`,
	"%y": `\d{2}`,
	"%H": `(?:[0,1][0-9]|2[0-3])`,
	"%I": `(?:0[0-9]|1[0-2])`,
	"%p": `[A,P]M`,
	"%M": `[0-5][0-9]`,
	"%S": `[0-5][0-9]`,
	"%f": `\d{6}`,
	"%z": `[+-]\d{4}`,
	"%Z": `[A-Z]{1,4}T`,
	"%j": `(?:0[0-9][1-9]|[1,2][0-9][0-9]|3[0-5][0-9]|36[0-6])`,
	"%L": `\.\d{3}`,
}

// strftimeSequence matches one strftime sequence.
var strftimeSequence = regexp.MustCompile(`%.`)

// datetimeFormatRegexp converts an awslogs-datetime-format to the regular
// expression Docker's driver uses: each sequence becomes its expression,
// an unknown one becomes nothing, and everything else is kept as it is
// (so a literal "[" must be written "\[", as Docker documents). Like
// Docker's, the expression is not anchored: a line that contains the
// date anywhere starts an event.
func datetimeFormatRegexp(format string) string {
	return strftimeSequence.ReplaceAllStringFunc(format, func(s string) string { return strftimeRegexps[s] })
}

// deliveryMode reads Docker's generic mode and max-buffer-size options.
func deliveryMode(o map[string]string) (nonBlocking bool, maxBuffer int, err error) {
	switch o[logOptMode] {
	case "", "blocking":
		if o[logOptMaxBufferSize] != "" {
			return false, 0, errors.New("logger: max-buffer-size option is only supported with 'mode=non-blocking'")
		}
		return false, 0, nil
	case "non-blocking":
	default:
		return false, 0, fmt.Errorf("logger: logging mode not supported: %s", o[logOptMode])
	}
	maxBuffer = defaultMaxBufferSize
	if v := o[logOptMaxBufferSize]; v != "" {
		n, err := parseRAMSize(v)
		if err != nil {
			return false, 0, fmt.Errorf("could not parse max-buffer-size %q: %w", v, err)
		}
		maxBuffer = n
	}
	return true, maxBuffer, nil
}

// parseRAMSize reads a size as Docker does for max-buffer-size: a number
// and an optional unit, b, k, m or g (with an optional "b" or "ib"), all
// in powers of 1024 and case-insensitive: "1m", "512k", "4MiB".
func parseRAMSize(s string) (int, error) {
	t := strings.ToLower(strings.TrimSpace(s))
	i := 0
	for i < len(t) && (t[i] >= '0' && t[i] <= '9' || t[i] == '.') {
		i++
	}
	num, err := strconv.ParseFloat(t[:i], 64)
	if err != nil || num < 0 {
		return 0, fmt.Errorf("invalid size: %q", s)
	}
	mult := 1.0
	switch unit := strings.TrimSpace(t[i:]); unit {
	case "", "b":
	case "k", "kb", "kib":
		mult = 1 << 10
	case "m", "mb", "mib":
		mult = 1 << 20
	case "g", "gb", "gib":
		mult = 1 << 30
	default:
		return 0, fmt.Errorf("invalid suffix: %q", unit)
	}
	n := num * mult
	if n < 1 || n > 1<<40 {
		return 0, fmt.Errorf("invalid size: %q", s)
	}
	return int(n), nil
}

// taskIDOf is the last path element of a task ARN: the task's ID.
func taskIDOf(arn string) string { return arn[strings.LastIndexByte(arn, '/')+1:] }
