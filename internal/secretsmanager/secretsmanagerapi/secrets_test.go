package secretsmanagerapi_test

import (
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"
)

func TestDescribeSecret(t *testing.T) {
	c := newClient(t)
	out, err := c.CreateSecret(ctx, &secretsmanager.CreateSecretInput{Name: aws.String("d"), SecretString: aws.String("v"), Description: aws.String("the db"),
		Tags:              []types.Tag{{Key: aws.String("team"), Value: aws.String("blue")}},
		AddReplicaRegions: []types.ReplicaRegionType{{Region: aws.String("eu-west-1")}}})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.ReplicationStatus) != 1 || *out.ReplicationStatus[0].Region != "eu-west-1" {
		t.Fatalf("replication: %+v", out.ReplicationStatus)
	}
	value(t, c, "d")
	d, err := c.DescribeSecret(ctx, &secretsmanager.DescribeSecretInput{SecretId: aws.String("d")})
	if err != nil {
		t.Fatal(err)
	}
	today := time.Now().UTC().Truncate(24 * time.Hour)
	if *d.ARN != *out.ARN || *d.Description != "the db" || len(d.Tags) != 1 || d.DeletedDate != nil || d.CreatedDate == nil ||
		d.LastChangedDate == nil || !d.LastAccessedDate.Equal(today) || *d.PrimaryRegion != "us-east-1" {
		t.Fatalf("describe: %+v (last accessed %v)", d, d.LastAccessedDate)
	}
	if got := d.VersionIdsToStages[*out.VersionId]; len(got) != 1 || got[0] != "AWSCURRENT" {
		t.Fatalf("stages: %v", d.VersionIdsToStages)
	}
	_, err = c.DescribeSecret(ctx, &secretsmanager.DescribeSecretInput{SecretId: aws.String("missing")})
	wantErr(t, err, "ResourceNotFoundException", "")
}

func TestDeleteAndRestore(t *testing.T) {
	c := newClient(t)
	create(t, c, "del", "v")
	_, err := c.RestoreSecret(ctx, &secretsmanager.RestoreSecretInput{SecretId: aws.String("del")})
	wantErr(t, err, "InvalidRequestException", "")

	for _, cs := range []struct {
		name  string
		in    secretsmanager.DeleteSecretInput
		code  string
		exact string
	}{
		{"window too short", secretsmanager.DeleteSecretInput{RecoveryWindowInDays: aws.Int64(6)}, "InvalidParameterException", "The RecoveryWindowInDays value must be between 7 and 30 days (inclusive)."},
		{"window too long", secretsmanager.DeleteSecretInput{RecoveryWindowInDays: aws.Int64(31)}, "InvalidParameterException", "The RecoveryWindowInDays value must be between 7 and 30 days (inclusive)."},
		{"both", secretsmanager.DeleteSecretInput{RecoveryWindowInDays: aws.Int64(7), ForceDeleteWithoutRecovery: aws.Bool(true)}, "InvalidParameterException",
			"You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays."},
	} {
		t.Run(cs.name, func(t *testing.T) {
			in := cs.in
			in.SecretId = aws.String("del")
			_, err := c.DeleteSecret(ctx, &in)
			wantExactErr(t, err, cs.code, cs.exact)
		})
	}

	start := time.Now()
	out, err := c.DeleteSecret(ctx, &secretsmanager.DeleteSecretInput{SecretId: aws.String("del"), RecoveryWindowInDays: aws.Int64(7)})
	if err != nil {
		t.Fatal(err)
	}
	if d := out.DeletionDate.Sub(start); d < 7*24*time.Hour-time.Minute || d > 7*24*time.Hour+time.Minute {
		t.Fatalf("deletion date %v is %v away", out.DeletionDate, d)
	}
	marked := "You can't perform this operation on the secret because it was marked for deletion."
	_, err = c.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String("del")})
	wantExactErr(t, err, "InvalidRequestException", marked)
	_, err = c.PutSecretValue(ctx, &secretsmanager.PutSecretValueInput{SecretId: aws.String("del"), SecretString: aws.String("x")})
	wantExactErr(t, err, "InvalidRequestException", marked)
	_, err = c.CreateSecret(ctx, &secretsmanager.CreateSecretInput{Name: aws.String("del"), SecretString: aws.String("x")})
	wantErr(t, err, "InvalidRequestException", "already scheduled for deletion")
	_, err = c.DeleteSecret(ctx, &secretsmanager.DeleteSecretInput{SecretId: aws.String("del")})
	wantErr(t, err, "InvalidRequestException", "")
	d, err := c.DescribeSecret(ctx, &secretsmanager.DescribeSecretInput{SecretId: aws.String("del")})
	if err != nil || d.DeletedDate == nil {
		t.Fatalf("describe of deleted: %+v %v", d, err)
	}
	l, _ := c.ListSecrets(ctx, &secretsmanager.ListSecretsInput{})
	if len(l.SecretList) != 0 {
		t.Fatal("ListSecrets shows a deleted secret")
	}
	l, _ = c.ListSecrets(ctx, &secretsmanager.ListSecretsInput{IncludePlannedDeletion: aws.Bool(true)})
	if len(l.SecretList) != 1 || l.SecretList[0].DeletedDate == nil {
		t.Fatalf("IncludePlannedDeletion: %+v", l.SecretList)
	}

	if _, err := c.RestoreSecret(ctx, &secretsmanager.RestoreSecretInput{SecretId: aws.String("del")}); err != nil {
		t.Fatal(err)
	}
	if g := value(t, c, "del"); *g.SecretString != "v" {
		t.Fatal("value lost across delete and restore")
	}

	f, err := c.DeleteSecret(ctx, &secretsmanager.DeleteSecretInput{SecretId: aws.String("del"), ForceDeleteWithoutRecovery: aws.Bool(true)})
	if err != nil || time.Since(*f.DeletionDate) > time.Minute {
		t.Fatalf("force delete: %+v %v", f, err)
	}
	_, err = c.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String("del")})
	wantErr(t, err, "ResourceNotFoundException", "")
	create(t, c, "del", "again") // the name is free at once
}

func TestListSecrets(t *testing.T) {
	c := newClient(t)
	mk := func(name, desc string, tags ...string) {
		in := &secretsmanager.CreateSecretInput{Name: aws.String(name), SecretString: aws.String("v"), Description: aws.String(desc)}
		for i := 0; i+1 < len(tags); i += 2 {
			in.Tags = append(in.Tags, types.Tag{Key: aws.String(tags[i]), Value: aws.String(tags[i+1])})
		}
		if _, err := c.CreateSecret(ctx, in); err != nil {
			t.Fatal(err)
		}
		time.Sleep(2 * time.Millisecond) // distinct CreatedDates
	}
	mk("prod/db", "Main database password", "env", "prod")
	mk("prod/api", "API key", "env", "prod", "team", "web")
	mk("dev/db", "credsDatabase for dev", "env", "dev")
	f := func(key types.FilterNameStringType, vals ...string) []types.Filter {
		return []types.Filter{{Key: key, Values: vals}}
	}
	cases := []struct {
		name    string
		filters []types.Filter
		want    string
	}{
		{"none", nil, "prod/db prod/api dev/db"},
		{"name prefix", f(types.FilterNameStringTypeName, "prod/"), "prod/db prod/api"},
		{"name is case-sensitive", f(types.FilterNameStringTypeName, "PROD"), ""},
		{"negated name", f(types.FilterNameStringTypeName, "!prod"), "dev/db"},
		{"description word, any case", f(types.FilterNameStringTypeDescription, "DATABASE"), "prod/db"},
		{"tag key", f(types.FilterNameStringTypeTagKey, "tea"), "prod/api"},
		{"tag value", f(types.FilterNameStringTypeTagValue, "dev"), "dev/db"},
		{"all splits words", f(types.FilterNameStringTypeAll, "database"), "prod/db dev/db"},
		{"two filters", append(f(types.FilterNameStringTypeTagValue, "prod"), f(types.FilterNameStringTypeName, "!prod/api")...), "prod/db"},
	}
	for _, cs := range cases {
		t.Run(cs.name, func(t *testing.T) {
			out, err := c.ListSecrets(ctx, &secretsmanager.ListSecretsInput{Filters: cs.filters})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, s := range out.SecretList {
				got = append(got, *s.Name)
			}
			if strings.Join(got, " ") != cs.want {
				t.Fatalf("got %q, want %q", strings.Join(got, " "), cs.want)
			}
		})
	}
	out, _ := c.ListSecrets(ctx, &secretsmanager.ListSecretsInput{SortOrder: types.SortOrderTypeDesc})
	if *out.SecretList[0].Name != "dev/db" || len(out.SecretList[0].SecretVersionsToStages) != 1 {
		t.Fatalf("desc: %+v", out.SecretList[0])
	}
	var names []string
	p := secretsmanager.NewListSecretsPaginator(c, &secretsmanager.ListSecretsInput{MaxResults: aws.Int32(2)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range page.SecretList {
			names = append(names, *s.Name)
		}
	}
	if strings.Join(names, " ") != "prod/db prod/api dev/db" {
		t.Fatalf("paged: %v", names)
	}
	_, err := c.ListSecrets(ctx, &secretsmanager.ListSecretsInput{NextToken: aws.String("bogus")})
	wantErr(t, err, "InvalidNextTokenException", "")
}

func TestTags(t *testing.T) {
	c := newClient(t)
	create(t, c, "t", "v")
	tags := func() string {
		d, err := c.DescribeSecret(ctx, &secretsmanager.DescribeSecretInput{SecretId: aws.String("t")})
		if err != nil {
			t.Fatal(err)
		}
		var s []string
		for _, tg := range d.Tags {
			s = append(s, *tg.Key+"="+*tg.Value)
		}
		return strings.Join(s, ",")
	}
	if _, err := c.TagResource(ctx, &secretsmanager.TagResourceInput{SecretId: aws.String("t"),
		Tags: []types.Tag{{Key: aws.String("a"), Value: aws.String("1")}, {Key: aws.String("b"), Value: aws.String("2")}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.TagResource(ctx, &secretsmanager.TagResourceInput{SecretId: aws.String("t"), Tags: []types.Tag{{Key: aws.String("a"), Value: aws.String("3")}}}); err != nil {
		t.Fatal(err)
	}
	if got := tags(); got != "a=3,b=2" {
		t.Fatalf("tags = %q", got)
	}
	if _, err := c.UntagResource(ctx, &secretsmanager.UntagResourceInput{SecretId: aws.String("t"), TagKeys: []string{"a"}}); err != nil {
		t.Fatal(err)
	}
	if got := tags(); got != "b=2" {
		t.Fatalf("after untag = %q", got)
	}
	_, err := c.TagResource(ctx, &secretsmanager.TagResourceInput{SecretId: aws.String("missing"), Tags: []types.Tag{{Key: aws.String("a"), Value: aws.String("1")}}})
	wantErr(t, err, "ResourceNotFoundException", "")
}

func TestGetRandomPassword(t *testing.T) {
	c := newClient(t)
	out, err := c.GetRandomPassword(ctx, &secretsmanager.GetRandomPasswordInput{})
	if err != nil || len(*out.RandomPassword) != 32 {
		t.Fatalf("default: %v %v", out, err)
	}
	pw := *out.RandomPassword
	if !strings.ContainsFunc(pw, unicode.IsUpper) || !strings.ContainsFunc(pw, unicode.IsLower) || !strings.ContainsFunc(pw, unicode.IsDigit) ||
		!strings.ContainsFunc(pw, unicode.IsPunct) && !strings.ContainsFunc(pw, unicode.IsSymbol) || strings.Contains(pw, " ") {
		t.Fatalf("default password %q lacks a character type", pw)
	}
	again, _ := c.GetRandomPassword(ctx, &secretsmanager.GetRandomPasswordInput{})
	if *again.RandomPassword == pw {
		t.Fatal("two passwords are equal")
	}
	out, err = c.GetRandomPassword(ctx, &secretsmanager.GetRandomPasswordInput{PasswordLength: aws.Int64(100), ExcludePunctuation: aws.Bool(true),
		ExcludeUppercase: aws.Bool(true), ExcludeCharacters: aws.String("abc012"), IncludeSpace: aws.Bool(true)})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range *out.RandomPassword {
		if strings.ContainsRune("abc012", r) || unicode.IsUpper(r) || unicode.IsPunct(r) || unicode.IsSymbol(r) {
			t.Fatalf("password %q has excluded %q", *out.RandomPassword, r)
		}
	}
	out, err = c.GetRandomPassword(ctx, &secretsmanager.GetRandomPasswordInput{PasswordLength: aws.Int64(4)})
	if err != nil || len(*out.RandomPassword) != 4 {
		t.Fatalf("length 4: %v %v", out, err)
	}
	_, err = c.GetRandomPassword(ctx, &secretsmanager.GetRandomPasswordInput{PasswordLength: aws.Int64(3)})
	wantErr(t, err, "InvalidParameterException", "")
	_, err = c.GetRandomPassword(ctx, &secretsmanager.GetRandomPasswordInput{ExcludeNumbers: aws.Bool(true), ExcludeLowercase: aws.Bool(true),
		ExcludeUppercase: aws.Bool(true), ExcludePunctuation: aws.Bool(true)})
	wantErr(t, err, "InvalidParameterException", "")
	_, err = c.GetRandomPassword(ctx, &secretsmanager.GetRandomPasswordInput{PasswordLength: aws.Int64(4097)})
	wantErr(t, err, "ValidationException", "")
}
