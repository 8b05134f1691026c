package cql

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// web and db are two instances unlike in every subject.
var (
	web = &Instance{
		Attributes: map[string]string{
			"ecs.availability-zone": "us-east-1a", "ecs.instance-type": "t2.micro", "ecs.os-type": "linux",
			"ecs.cpu-architecture": "x86_64", "stack": "prod", "ecs.capability.task-eni": "", "slots": "8",
		},
		EC2InstanceID: "i-abcd1234", AgentConnected: true, AgentVersion: "1.14.5",
		RegisteredAt:      time.Date(2018, 6, 18, 22, 28, 28, 0, time.UTC),
		RunningTasksCount: 3, TaskGroups: []string{"service:web", "family:cron"},
	}
	db = &Instance{
		Attributes: map[string]string{
			"ecs.availability-zone": "us-east-1b", "ecs.instance-type": "g2.2xlarge", "ecs.os-type": "windows",
			"ecs.cpu-architecture": "arm64", "slots": "10",
		},
		AgentConnected: false, AgentVersion: "1.9.0",
		RegisteredAt: time.Date(2020, 1, 2, 3, 4, 5, 0, time.UTC),
	}
)

func TestMatch(t *testing.T) {
	cases := []struct {
		expr    string
		web, db bool
	}{
		// Attributes: the developer guide's examples and their kin.
		{"attribute:ecs.instance-type == t2.micro", true, false},
		{"attribute:ecs.instance-type equals t2.micro", true, false},
		{"attribute:ecs.instance-type==t2.micro", true, false},
		{"attribute:ecs.availability-zone in [us-east-1a, us-east-1b]", true, true},
		{"attribute:ecs.availability-zone in [us-east-1b,us-east-1c]", false, true},
		{"attribute:ecs.availability-zone !in [us-east-1b]", true, false},
		{"attribute:ecs.availability-zone not_in [us-east-1b]", true, false},
		{"attribute:ecs.os-type != linux", false, true},
		{"attribute:ecs.instance-type =~ g2.*", false, true},
		{"attribute:ecs.instance-type matches t2.(micro|small)", true, false},
		{"attribute:ecs.instance-type =~ t2", false, false}, // the whole value must match
		{"attribute:ecs.instance-type !~ t2.*", false, true},
		{"attribute:stack exists", true, false},
		{"attribute:stack !exists", false, true},
		{"attribute:stack not_exists", false, true},
		{"attribute:ecs.capability.task-eni exists", true, false},
		{"attribute:stack != prod", false, true}, // db has no stack: not equal
		{"attribute:stack == 'prod'", true, false},
		{`attribute:stack == "prod"`, true, false},
		{"attribute:slots > 9", false, true}, // numbers compare as numbers
		{"attribute:slots <= 8", true, false},
		{"attribute:ecs.availability-zone < us-east-1b", true, false}, // text compares as text
		// Compound expressions.
		{"attribute:ecs.instance-type =~ t2.* and attribute:ecs.availability-zone != us-east-1d", true, false},
		{"attribute:ecs.instance-type =~ t2.* && attribute:ecs.availability-zone == us-east-1b", false, false},
		{"attribute:ecs.os-type == windows or attribute:stack == prod", true, true},
		{"attribute:ecs.os-type == windows || attribute:stack == prod", true, true},
		{"not(attribute:ecs.os-type == linux)", false, true},
		{"NOT (attribute:ecs.os-type == linux)", false, true},
		{"!(attribute:ecs.os-type == linux)", false, true},
		{"not attribute:stack exists", false, true},
		{"(attribute:ecs.os-type == linux or attribute:ecs.os-type == windows) and attribute:slots == 10", false, true},
		{"attribute:ecs.os-type == linux or attribute:ecs.os-type == windows and attribute:slots == 10", true, true}, // and binds tighter
		{"not(attribute:ecs.instance-type =~ t2.*)", false, true},
		// Task groups.
		{"task:group == service:web", true, false},
		{"not(task:group == service:web)", false, true},
		{"task:group != service:web", false, true},
		{"task:group in [service:api, family:cron]", true, false},
		{"task:group =~ service:.*", true, false},
		// Other subjects.
		{"ec2InstanceId in ['i-abcd1234', 'i-wxyx7890']", true, false},
		{"ec2InstanceId == i-abcd1234", true, false},
		{"ec2InstanceId != i-abcd1234", false, true},
		{"agentConnected == true", true, false},
		{"agentConnected == FALSE", false, true},
		{"agentVersion < 1.10.0", false, true}, // 1.9.0 < 1.10.0 part by part
		{"agentVersion >= 1.14.5", true, false},
		{"registeredAt < 2019-01-01", true, false},
		{"registeredAt == 2018-06-18", true, false},
		{"registeredAt > 2018-06-18T22:28:28Z", false, true},
		{"registeredAt >= 2018-06-18T22:28:28+00:00", true, true},
		{"registeredAt <= 2018-06-18T22:28:28", true, false},
		{"runningTasksCount == 0", false, true},
		{"runningTasksCount > 2", true, false},
		{"runningTasksCount greater_than_equal 3", true, false},
	}
	for _, tc := range cases {
		t.Run(tc.expr, func(t *testing.T) {
			e, err := Parse(tc.expr)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if got := e.Match(web); got != tc.web {
				t.Errorf("web: Match = %v, want %v", got, tc.web)
			}
			if got := e.Match(db); got != tc.db {
				t.Errorf("db: Match = %v, want %v", got, tc.db)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	cases := []struct {
		expr string
		msg  string // the error, with its position
	}{
		{"", "expected a subject but found end of expression at character 1"},
		{"   ", "expected a subject but found end of expression at character 4"},
		{"attribute:ecs.os-type", "expected an operator after attribute:ecs.os-type but found end of expression at character 22"},
		{"attribute:ecs.os-type linux", `expected an operator after attribute:ecs.os-type but found 'l' at character 23`},
		{"attribute:ecs.os-type ==", "expected a value but found end of expression at character 25"},
		{"attribute: == linux", `unknown subject "attribute:" at character 1`},
		{"instanceType == t2.micro", `unknown subject "instanceType" at character 1`},
		{"attribute:ecs.os-type = linux", `expected an operator after attribute:ecs.os-type but found '=' at character 23`},
		{"attribute:ecs.os-type == linux and", "expected a subject but found end of expression at character 35"},
		{"attribute:ecs.os-type == linux or or", `unknown subject "or" at character 35`},
		{"attribute:ecs.os-type == linux windows", `unexpected 'w' at character 32`},
		{"(attribute:ecs.os-type == linux", `expected ")" but found end of expression at character 32`},
		{"attribute:ecs.os-type == linux)", `unexpected ')' at character 31`},
		{"not(attribute:ecs.os-type == linux", `expected ")" but found end of expression at character 35`},
		{"attribute:ecs.availability-zone in us-east-1a", `expected an argument list "[…]" but found 'u' at character 36`},
		{"attribute:ecs.availability-zone in [us-east-1a", `expected "," or "]" but found end of expression at character 47`},
		{"attribute:ecs.availability-zone in []", `expected a value but found ']' at character 37`},
		{"attribute:stack == 'prod", "unterminated quoted value at character 20"},
		{"attribute:ecs.instance-type =~ t2.(micro", `invalid regular expression "t2.(micro" at character 32`},
		{"registeredAt < yesterday", `invalid date "yesterday": use 2018-06-18T22:28:28+00:00, 2018-06-18T22:28:28Z, 2018-06-18T22:28:28 or 2018-06-18 at character 16`},
		{"runningTasksCount > many", `invalid task count "many" at character 21`},
		{"runningTasksCount > -1", `invalid task count "-1" at character 21`},
		{"agentConnected > true", "the operator > is not valid for agentConnected at character 16"},
		{"task:group exists", "the operator exists is not valid for task:group at character 12"},
		{"ec2InstanceId < i-1", "the operator < is not valid for ec2InstanceId at character 15"},
		{"registeredAt in [2018-06-18]", "the operator in is not valid for registeredAt at character 14"},
		{"runningTasksCount =~ 1", "the operator =~ is not valid for runningTasksCount at character 19"},
		{"agentVersion exists", "the operator exists is not valid for agentVersion at character 14"},
		{"attribute:stack !inside [a]", `expected an operator after attribute:stack but found '!' at character 17`},
		{strings.Repeat("(", 100) + "attribute:a exists" + strings.Repeat(")", 100), "the expression is nested too deeply at character 65"},
		{"attribute:a == " + strings.Repeat("x", MaxLength), "the expression is longer than 2000 characters at character 2001"},
	}
	for _, tc := range cases {
		t.Run(tc.expr, func(t *testing.T) {
			_, err := Parse(tc.expr)
			var pe *Error
			if !errors.As(err, &pe) {
				t.Fatalf("Parse = %v, want an *Error", err)
			}
			if err.Error() != tc.msg {
				t.Errorf("Parse error\n got %s\nwant %s", err, tc.msg)
			}
		})
	}
}

func TestStringIsTheSource(t *testing.T) {
	const src = "attribute:ecs.os-type == linux"
	e, err := Parse(src)
	if err != nil || e.String() != src {
		t.Fatalf("Parse(%q) = %v, %v", src, e, err)
	}
}

func TestAbsentSubjects(t *testing.T) {
	bare := &Instance{}
	for expr, want := range map[string]bool{
		"attribute:x == y":                               false,
		"attribute:x != y":                               true,
		"attribute:x in [y]":                             false,
		"attribute:x !in [y]":                            true,
		"attribute:x =~ .*":                              false, // nothing to match, even everything
		"attribute:x !~ .*":                              true,
		"attribute:x > 0":                                false,
		"task:group == service:web":                      false,
		"ec2InstanceId =~ .*":                            false,
		"agentConnected == false":                        true,
		"agentVersion > 0":                               false,
		"registeredAt < 2100-01-01":                      false, // never registered
		"registeredAt != 2100-01-01":                     true,
		"runningTasksCount == 0":                         true,
		"attribute:x == ''":                              false,
		"not(attribute:x exists)":                        true,
		"attribute:a exists or !(runningTasksCount > 0)": true,
	} {
		e, err := Parse(expr)
		if err != nil {
			t.Fatalf("Parse(%q): %v", expr, err)
		}
		if got := e.Match(bare); got != want {
			t.Errorf("%s on an empty instance = %v, want %v", expr, got, want)
		}
	}
}
