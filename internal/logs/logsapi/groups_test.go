package logsapi_test

import (
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"
)

func TestCreateLogGroup(t *testing.T) {
	e := newEnv(t)
	_, err := e.c.CreateLogGroup(e.ctx, &cloudwatchlogs.CreateLogGroupInput{
		LogGroupName: aws.String("/ecs/demo-web"), KmsKeyId: aws.String("arn:aws:kms:us-east-1:000000000000:key/k"),
		Tags: map[string]string{"team": "web"}, LogGroupClass: types.LogGroupClassInfrequentAccess,
	})
	if err != nil {
		t.Fatal(err)
	}
	out, err := e.c.DescribeLogGroups(e.ctx, &cloudwatchlogs.DescribeLogGroupsInput{})
	if err != nil || len(out.LogGroups) != 1 {
		t.Fatalf("DescribeLogGroups: %+v %v", out, err)
	}
	g := out.LogGroups[0]
	if aws.ToString(g.LogGroupName) != "/ecs/demo-web" || aws.ToString(g.Arn) != "arn:aws:logs:us-east-1:000000000000:log-group:/ecs/demo-web:*" ||
		aws.ToString(g.LogGroupArn) != "arn:aws:logs:us-east-1:000000000000:log-group:/ecs/demo-web" ||
		aws.ToInt64(g.CreationTime) != e.nowMS() || g.RetentionInDays != nil || aws.ToInt32(g.MetricFilterCount) != 0 ||
		g.StoredBytes == nil || g.LogGroupClass != types.LogGroupClassInfrequentAccess || aws.ToString(g.KmsKeyId) == "" {
		t.Fatalf("log group = %+v", g)
	}

	cases := []struct {
		name, group string
		tags        map[string]string
		code, msg   string
	}{
		{"exists", "/ecs/demo-web", nil, "ResourceAlreadyExistsException", "The specified log group already exists"},
		{"colon", "a:b", nil, "InvalidParameterException", "1 validation error detected: Value 'a:b' at 'logGroupName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]+"},
		{"space", "a b", nil, "InvalidParameterException", "regular expression pattern"},
		{"too long", string(make([]byte, 513)), nil, "InvalidParameterException", "Member must have length less than or equal to 512"},
		{"reserved", "aws/lambda/x", nil, "InvalidParameterException", "Log groups starting with AWS/ are reserved for AWS."},
		{"reserved upper", "AWS/x", nil, "InvalidParameterException", "reserved for AWS"},
		{"bad tag key", "/t", map[string]string{"a!b": "v"}, "InvalidParameterException", "Map keys must satisfy constraint"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			name := c.group
			if c.name == "too long" {
				name = fmt.Sprintf("%0513d", 0)
			}
			_, err := e.c.CreateLogGroup(e.ctx, &cloudwatchlogs.CreateLogGroupInput{LogGroupName: aws.String(name), Tags: c.tags})
			wantErr(t, err, c.code, c.msg)
		})
	}
	_, err = e.c.CreateLogGroup(e.ctx, &cloudwatchlogs.CreateLogGroupInput{LogGroupName: aws.String("x"), LogGroupClass: "COLD"})
	wantErr(t, err, "InvalidParameterException", "Member must satisfy enum value set: [STANDARD, INFREQUENT_ACCESS, DELIVERY]")
}

func TestDescribeLogGroups(t *testing.T) {
	e := newEnv(t)
	for _, n := range []string{"/ecs/web", "/ecs/api", "/ecs/worker", "/lambda/fn", "DataLogs", "aws-waf-logs-x"} {
		e.group(n)
	}
	names := func(in *cloudwatchlogs.DescribeLogGroupsInput) []string {
		t.Helper()
		out, err := e.c.DescribeLogGroups(e.ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		var ns []string
		for _, g := range out.LogGroups {
			ns = append(ns, aws.ToString(g.LogGroupName))
		}
		return ns
	}
	if got := fmt.Sprint(names(&cloudwatchlogs.DescribeLogGroupsInput{})); got != "[/ecs/api /ecs/web /ecs/worker /lambda/fn DataLogs aws-waf-logs-x]" {
		t.Fatalf("all groups, ASCII order: %s", got)
	}
	if got := fmt.Sprint(names(&cloudwatchlogs.DescribeLogGroupsInput{LogGroupNamePrefix: aws.String("/ecs/w")})); got != "[/ecs/web /ecs/worker]" {
		t.Fatalf("prefix: %s", got)
	}
	if got := fmt.Sprint(names(&cloudwatchlogs.DescribeLogGroupsInput{LogGroupNamePattern: aws.String("Logs")})); got != "[DataLogs]" {
		t.Fatalf("pattern is a case-sensitive substring: %s", got)
	}
	if got := fmt.Sprint(names(&cloudwatchlogs.DescribeLogGroupsInput{LogGroupIdentifiers: []string{"/lambda/fn", "arn:aws:logs:us-east-1:000000000000:log-group:/ecs/api"}})); got != "[/ecs/api /lambda/fn]" {
		t.Fatalf("identifiers: %s", got)
	}
	// A name pattern answers only name, ARN and creation time.
	out, _ := e.c.DescribeLogGroups(e.ctx, &cloudwatchlogs.DescribeLogGroupsInput{LogGroupNamePattern: aws.String("web")})
	if g := out.LogGroups[0]; g.StoredBytes != nil || g.LogGroupArn != nil || g.Arn == nil || g.CreationTime == nil {
		t.Fatalf("pattern result fields: %+v", g)
	}

	_, err := e.c.DescribeLogGroups(e.ctx, &cloudwatchlogs.DescribeLogGroupsInput{LogGroupNamePrefix: aws.String("/"), LogGroupNamePattern: aws.String("x")})
	wantErr(t, err, "InvalidParameterException", "mutually exclusive")
	for _, l := range []int32{0, 51} {
		_, err := e.c.DescribeLogGroups(e.ctx, &cloudwatchlogs.DescribeLogGroupsInput{Limit: aws.Int32(l)})
		wantErr(t, err, "InvalidParameterException", "'limit' failed to satisfy constraint")
	}
	_, err = e.c.DescribeLogGroups(e.ctx, &cloudwatchlogs.DescribeLogGroupsInput{NextToken: aws.String("garbage!")})
	wantErr(t, err, "InvalidParameterException", "nextToken")

	// Pagination with the SDK's paginator, two at a time.
	p := cloudwatchlogs.NewDescribeLogGroupsPaginator(e.c, &cloudwatchlogs.DescribeLogGroupsInput{Limit: aws.Int32(2)})
	var all []string
	pages := 0
	for p.HasMorePages() {
		page, err := p.NextPage(e.ctx)
		if err != nil {
			t.Fatal(err)
		}
		pages++
		for _, g := range page.LogGroups {
			all = append(all, aws.ToString(g.LogGroupName))
		}
	}
	if pages != 3 || len(all) != 6 {
		t.Fatalf("%d pages, %v", pages, all)
	}
}

func TestDeleteLogGroup(t *testing.T) {
	e := newEnv(t)
	e.group("g")
	e.stream("g", "s")
	e.put("g", "s", times(e.nowMS(), 2), "one", "two")
	if _, err := e.c.DeleteLogGroup(e.ctx, &cloudwatchlogs.DeleteLogGroupInput{LogGroupName: aws.String("g")}); err != nil {
		t.Fatal(err)
	}
	_, err := e.c.DeleteLogGroup(e.ctx, &cloudwatchlogs.DeleteLogGroupInput{LogGroupName: aws.String("g")})
	wantErr(t, err, "ResourceNotFoundException", "The specified log group does not exist.")
	// A group created again under the same name starts empty.
	e.group("g")
	out, err := e.c.DescribeLogStreams(e.ctx, &cloudwatchlogs.DescribeLogStreamsInput{LogGroupName: aws.String("g")})
	if err != nil || len(out.LogStreams) != 0 {
		t.Fatalf("recreated group has streams: %+v %v", out, err)
	}
	e.stream("g", "s")
	ev, err := e.c.GetLogEvents(e.ctx, &cloudwatchlogs.GetLogEventsInput{LogGroupName: aws.String("g"), LogStreamName: aws.String("s")})
	if err != nil || len(ev.Events) != 0 {
		t.Fatalf("recreated stream has events: %d %v", len(ev.Events), err)
	}
}

func TestRetentionPolicy(t *testing.T) {
	e := newEnv(t)
	e.group("g")
	_, err := e.c.PutRetentionPolicy(e.ctx, &cloudwatchlogs.PutRetentionPolicyInput{LogGroupName: aws.String("g"), RetentionInDays: aws.Int32(2)})
	wantErr(t, err, "InvalidParameterException", "Value '2' at 'retentionInDays' failed to satisfy constraint: Member must satisfy enum value set: [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653]")
	_, err = e.c.PutRetentionPolicy(e.ctx, &cloudwatchlogs.PutRetentionPolicyInput{LogGroupName: aws.String("nope"), RetentionInDays: aws.Int32(7)})
	wantErr(t, err, "ResourceNotFoundException", "The specified log group does not exist.")
	for _, d := range []int32{1, 7, 3653} {
		if _, err := e.c.PutRetentionPolicy(e.ctx, &cloudwatchlogs.PutRetentionPolicyInput{LogGroupName: aws.String("g"), RetentionInDays: aws.Int32(d)}); err != nil {
			t.Fatal(err)
		}
		out, _ := e.c.DescribeLogGroups(e.ctx, &cloudwatchlogs.DescribeLogGroupsInput{})
		if got := aws.ToInt32(out.LogGroups[0].RetentionInDays); got != d {
			t.Fatalf("retentionInDays = %d, want %d", got, d)
		}
	}
	if _, err := e.c.DeleteRetentionPolicy(e.ctx, &cloudwatchlogs.DeleteRetentionPolicyInput{LogGroupName: aws.String("g")}); err != nil {
		t.Fatal(err)
	}
	out, _ := e.c.DescribeLogGroups(e.ctx, &cloudwatchlogs.DescribeLogGroupsInput{})
	if out.LogGroups[0].RetentionInDays != nil {
		t.Fatal("retention survives DeleteRetentionPolicy")
	}
	_, err = e.c.DeleteRetentionPolicy(e.ctx, &cloudwatchlogs.DeleteRetentionPolicyInput{LogGroupName: aws.String("nope")})
	wantErr(t, err, "ResourceNotFoundException", "The specified log group does not exist.")
}

func TestDeletionProtection(t *testing.T) {
	e := newEnv(t)
	_, err := e.c.CreateLogGroup(e.ctx, &cloudwatchlogs.CreateLogGroupInput{LogGroupName: aws.String("keep"), DeletionProtectionEnabled: aws.Bool(true)})
	if err != nil {
		t.Fatal(err)
	}
	_, err = e.c.DeleteLogGroup(e.ctx, &cloudwatchlogs.DeleteLogGroupInput{LogGroupName: aws.String("keep")})
	wantErr(t, err, "ValidationException", "deletion protection")
	_, err = e.c.PutLogGroupDeletionProtection(e.ctx, &cloudwatchlogs.PutLogGroupDeletionProtectionInput{LogGroupIdentifier: aws.String("keep"), DeletionProtectionEnabled: aws.Bool(false)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.c.DeleteLogGroup(e.ctx, &cloudwatchlogs.DeleteLogGroupInput{LogGroupName: aws.String("keep")}); err != nil {
		t.Fatal(err)
	}
}

func TestRegionsAreSeparate(t *testing.T) {
	e := newEnv(t)
	e.group("g")
	west := client(aws.ToString(e.c.Options().BaseEndpoint), "us-west-2")
	out, err := west.DescribeLogGroups(e.ctx, &cloudwatchlogs.DescribeLogGroupsInput{})
	if err != nil || len(out.LogGroups) != 0 {
		t.Fatalf("us-west-2 sees %+v %v", out, err)
	}
}
