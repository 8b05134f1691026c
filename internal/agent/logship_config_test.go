package agent

import (
	"strings"
	"testing"

	"github.com/quayside/quayside/internal/ecs"
)

func TestParseAWSLogs(t *testing.T) {
	const taskARN = "arn:aws:ecs:eu-west-1:123456789012:task/prod/0123456789abcdef0123456789abcdef"
	def := func(opts map[string]string) ecs.ContainerDefinition {
		return ecs.ContainerDefinition{Name: "web", LogConfiguration: &ecs.LogConfiguration{LogDriver: ecs.LogDriverAWSLogs, Options: opts}}
	}
	tests := []struct {
		name     string
		c        ecs.ContainerDefinition
		dockerID string
		want     awslogsConfig // Multiline compared by its expression
		pattern  string
		notOurs  bool
		err      string
	}{
		{name: "no log configuration", c: ecs.ContainerDefinition{Name: "web"}, notOurs: true},
		{name: "another driver", c: ecs.ContainerDefinition{Name: "web", LogConfiguration: &ecs.LogConfiguration{LogDriver: ecs.LogDriverJSONFile}}, notOurs: true},
		{
			name: "prefix names the stream",
			c:    def(map[string]string{"awslogs-group": "/ecs/web", "awslogs-region": "us-west-2", "awslogs-stream-prefix": "ecs"}),
			want: awslogsConfig{Region: "us-west-2", Account: "123456789012", Group: "/ecs/web", Stream: "ecs/web/0123456789abcdef0123456789abcdef"},
		},
		{
			name: "region defaults to the task's; create-group",
			c:    def(map[string]string{"awslogs-group": "/ecs/web", "awslogs-stream-prefix": "p", "awslogs-create-group": "true"}),
			want: awslogsConfig{Region: "eu-west-1", Account: "123456789012", Group: "/ecs/web", Stream: "p/web/0123456789abcdef0123456789abcdef", CreateGroup: true},
		},
		{
			name: "no prefix: the Docker container ID", dockerID: "f00d",
			c:    def(map[string]string{"awslogs-group": "g"}),
			want: awslogsConfig{Region: "eu-west-1", Account: "123456789012", Group: "g", Stream: "f00d"},
		},
		{
			name: "no prefix, not created yet",
			c:    def(map[string]string{"awslogs-group": "g"}),
			want: awslogsConfig{Region: "eu-west-1", Account: "123456789012", Group: "g"},
		},
		{
			name:    "multiline pattern",
			c:       def(map[string]string{"awslogs-group": "g", "awslogs-multiline-pattern": `^INFO`}),
			want:    awslogsConfig{Region: "eu-west-1", Account: "123456789012", Group: "g"},
			pattern: `^INFO`,
		},
		{
			name:    "datetime format",
			c:       def(map[string]string{"awslogs-group": "g", "awslogs-datetime-format": `%Y-%m-%d`}),
			want:    awslogsConfig{Region: "eu-west-1", Account: "123456789012", Group: "g"},
			pattern: `\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[1,2][0-9]|3[0,1])`,
		},
		{
			name: "non-blocking, default buffer",
			c:    def(map[string]string{"awslogs-group": "g", "mode": "non-blocking"}),
			want: awslogsConfig{Region: "eu-west-1", Account: "123456789012", Group: "g", NonBlocking: true, MaxBuffer: 1 << 20},
		},
		{
			name: "non-blocking, 4m",
			c:    def(map[string]string{"awslogs-group": "g", "mode": "non-blocking", "max-buffer-size": "4m"}),
			want: awslogsConfig{Region: "eu-west-1", Account: "123456789012", Group: "g", NonBlocking: true, MaxBuffer: 4 << 20},
		},
		{
			name: "blocking, said so",
			c:    def(map[string]string{"awslogs-group": "g", "mode": "blocking"}),
			want: awslogsConfig{Region: "eu-west-1", Account: "123456789012", Group: "g"},
		},
		{name: "no group", c: def(map[string]string{"awslogs-region": "us-east-1"}), err: "must specify a value for log opt 'awslogs-group'"},
		{name: "bad create-group", c: def(map[string]string{"awslogs-group": "g", "awslogs-create-group": "yes please"}),
			err: `must specify valid value for log opt 'awslogs-create-group': strconv.ParseBool: parsing "yes please": invalid syntax`},
		{name: "both multiline options", c: def(map[string]string{"awslogs-group": "g", "awslogs-multiline-pattern": "x", "awslogs-datetime-format": "%Y"}),
			err: "you cannot configure log opt 'awslogs-datetime-format' and 'awslogs-multiline-pattern' at the same time"},
		{name: "bad pattern", c: def(map[string]string{"awslogs-group": "g", "awslogs-multiline-pattern": "(["}),
			err: `awslogs could not parse multiline pattern key "([": error parsing regexp`},
		{name: "bad mode", c: def(map[string]string{"awslogs-group": "g", "mode": "fast"}), err: "logger: logging mode not supported: fast"},
		{name: "buffer size without non-blocking", c: def(map[string]string{"awslogs-group": "g", "max-buffer-size": "1m"}),
			err: "logger: max-buffer-size option is only supported with 'mode=non-blocking'"},
		{name: "bad buffer size", c: def(map[string]string{"awslogs-group": "g", "mode": "non-blocking", "max-buffer-size": "lots"}),
			err: `could not parse max-buffer-size "lots"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, ok, err := parseAWSLogs(tc.c, taskARN, tc.dockerID)
			if ok == tc.notOurs {
				t.Fatalf("ok = %v, want %v", ok, !tc.notOurs)
			}
			if tc.err != "" {
				if err == nil || !strings.HasPrefix(err.Error(), tc.err) {
					t.Fatalf("err = %v, want one starting %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			pattern := ""
			if got.Multiline != nil {
				pattern = got.Multiline.String()
			}
			if pattern != tc.pattern {
				t.Errorf("multiline pattern %q, want %q", pattern, tc.pattern)
			}
			got.Multiline = nil
			if got != tc.want {
				t.Errorf("got %+v\nwant %+v", got, tc.want)
			}
		})
	}
}

// TestDatetimeFormatRegexp converts formats as Docker's driver does and
// checks which lines start an event.
func TestDatetimeFormatRegexp(t *testing.T) {
	tests := []struct {
		format string
		starts []string
		joins  []string
	}{
		{`%Y-%m-%d %H:%M:%S`, []string{"2024-02-29 23:59:59 boom", "at 2024-12-01 00:00:00"}, []string{"2024-13-01 00:00:00", "  at main.go:12", "24-02-29 10:00:00"}},
		{`\[%b %d, %Y %H:%M:%S\]`, []string{"[Feb 29, 2024 13:04:05] INFO up"}, []string{"Feb 29, 2024 13:04:05", "[Foo 29, 2024 13:04:05]"}},
		{`%a %A %w`, []string{"Mon Monday 1"}, []string{"Mon Mon 1", "Mon Monday 7"}},
		{`%B %j`, []string{"December 366"}, []string{"December 367", "Dec 100"}},
		{`%I:%M %p`, []string{"12:30 PM"}, []string{"13:30 PM", "12:30 XM"}},
		{`%H:%M:%S%L %z %Z`, []string{"10:00:00.123 +0100 CET"}, []string{"10:00:00,123 +0100 CET", "10:00:00.123 0100 CET"}},
		{`%y%m%d %f`, []string{"240229 123456"}, []string{"240229 12345"}},
		{`%Q%Y`, []string{"2024"}, nil}, // an unknown sequence stands for nothing
	}
	for _, tc := range tests {
		t.Run(tc.format, func(t *testing.T) {
			re, err := multilinePattern(map[string]string{awslogsDatetimeFormat: tc.format})
			if err != nil {
				t.Fatal(err)
			}
			for _, l := range tc.starts {
				if !re.MatchString(l) {
					t.Errorf("%q (%s) does not match %q", tc.format, re, l)
				}
			}
			for _, l := range tc.joins {
				if re.MatchString(l) {
					t.Errorf("%q (%s) matches %q", tc.format, re, l)
				}
			}
		})
	}
}

func TestParseRAMSize(t *testing.T) {
	tests := []struct {
		in   string
		want int
		bad  bool
	}{
		{in: "1m", want: 1 << 20}, {in: "512k", want: 512 << 10}, {in: "4MiB", want: 4 << 20}, {in: "2GB", want: 2 << 30},
		{in: "100", want: 100}, {in: "100b", want: 100}, {in: "1.5m", want: 3 << 19}, {in: " 8 KB ", want: 8 << 10},
		{in: "", bad: true}, {in: "m", bad: true}, {in: "10x", bad: true}, {in: "-1m", bad: true}, {in: "0", bad: true},
	}
	for _, tc := range tests {
		got, err := parseRAMSize(tc.in)
		if tc.bad != (err != nil) || got != tc.want && !tc.bad {
			t.Errorf("parseRAMSize(%q) = %d, %v; want %d (bad %v)", tc.in, got, err, tc.want, tc.bad)
		}
	}
}

func TestLoggerReasons(t *testing.T) {
	if got, want := streamReason(ecs.LaunchTypeFargate, groupMissing),
		"ResourceInitializationError: failed to validate logger args: create stream has been retried 1 times: failed to create Cloudwatch log stream: ResourceNotFoundException: The specified log group does not exist. : exit status 1"; got != want {
		t.Errorf("Fargate:\n got %s\nwant %s", got, want)
	}
	if got, want := streamReason(ecs.LaunchTypeEC2, groupMissing),
		"CannotStartContainerError: Error response from daemon: failed to initialize logging driver: failed to create Cloudwatch log stream: ResourceNotFoundException: The specified log group does not exist. status code: 400"; got != want {
		t.Errorf("EC2:\n got %s\nwant %s", got, want)
	}
}
