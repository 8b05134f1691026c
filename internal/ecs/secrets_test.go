package ecs

import (
	"errors"
	"strings"
	"testing"
)

func TestParseSecretSource(t *testing.T) {
	const sm = "arn:aws:secretsmanager:us-east-1:000000000000:secret:db-AbCdEf"
	for _, tc := range []struct {
		in    string
		want  SecretSource
		stage string
		bad   bool
	}{
		{in: "db-password", want: SecretSource{Store: SecretStoreSSM, Name: "db-password"}},
		{in: "/prod/db/password", want: SecretSource{Store: SecretStoreSSM, Name: "/prod/db/password"}},
		{in: "arn:aws:ssm:us-east-1:000000000000:parameter/db-password",
			want: SecretSource{Store: SecretStoreSSM, ARN: "arn:aws:ssm:us-east-1:000000000000:parameter/db-password",
				Region: "us-east-1", AccountID: "000000000000", Name: "db-password"}},
		{in: "arn:aws:ssm:us-east-1:000000000000:parameter/prod/db",
			want: SecretSource{Store: SecretStoreSSM, ARN: "arn:aws:ssm:us-east-1:000000000000:parameter/prod/db",
				Region: "us-east-1", AccountID: "000000000000", Name: "/prod/db"}},
		{in: sm, stage: "AWSCURRENT",
			want: SecretSource{Store: SecretStoreSecretsManager, ARN: sm, Region: "us-east-1", AccountID: "000000000000", Name: "db-AbCdEf"}},
		{in: sm + ":password::", stage: "AWSCURRENT",
			want: SecretSource{Store: SecretStoreSecretsManager, ARN: sm, Region: "us-east-1", AccountID: "000000000000", Name: "db-AbCdEf", JSONKey: "password"}},
		{in: sm + "::AWSPREVIOUS:", stage: "AWSPREVIOUS",
			want: SecretSource{Store: SecretStoreSecretsManager, ARN: sm, Region: "us-east-1", AccountID: "000000000000", Name: "db-AbCdEf", VersionStage: "AWSPREVIOUS"}},
		{in: sm + ":::v-123", stage: "",
			want: SecretSource{Store: SecretStoreSecretsManager, ARN: sm, Region: "us-east-1", AccountID: "000000000000", Name: "db-AbCdEf", VersionID: "v-123"}},
		{in: sm + ":k:AWSCURRENT:v-123", bad: true},
		{in: sm + ":password", bad: true},
		{in: sm + ":password:", bad: true},
		{in: "arn:aws:secretsmanager:us-east-1:000000000000:secret:", bad: true},
		{in: "arn:aws:secretsmanager:us-east-1:000000000000:key:db", bad: true},
		{in: "arn:aws:ssm:us-east-1:000000000000:document/db", bad: true},
		{in: "arn:aws:ssm:us-east-1:000000000000:parameter/", bad: true},
		{in: "arn:aws:kms:us-east-1:000000000000:key/abc", bad: true},
		{in: "", bad: true},
		{in: "has space", bad: true},
		{in: strings.Repeat("p", 2049), bad: true},
	} {
		got, err := ParseSecretSource(tc.in)
		if tc.bad {
			if !errors.Is(err, ErrClient) {
				t.Errorf("ParseSecretSource(%q) = %+v, %v; want ClientException", tc.in, got, err)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("ParseSecretSource(%q)\n got %+v, %v\nwant %+v", tc.in, got, err, tc.want)
		}
		if got.Store == SecretStoreSecretsManager && got.Stage() != tc.stage {
			t.Errorf("ParseSecretSource(%q).Stage() = %q, want %q", tc.in, got.Stage(), tc.stage)
		}
	}
}

func TestValidateTags(t *testing.T) {
	many := make([]Tag, 51)
	for i := range many {
		many[i] = Tag{Key: "k" + strings.Repeat("x", i)}
	}
	for _, tc := range []struct {
		name string
		tags []Tag
		ok   bool
	}{
		{"none", nil, true},
		{"fifty", many[:50], true},
		{"fifty-one", many, false},
		{"empty key", []Tag{{Key: ""}}, false},
		{"long key", []Tag{{Key: strings.Repeat("k", 129)}}, false},
		{"128 characters of key", []Tag{{Key: strings.Repeat("é", 128)}}, true},
		{"long value", []Tag{{Key: "k", Value: strings.Repeat("v", 257)}}, false},
		{"allowed punctuation", []Tag{{Key: "a+b-c=d.e_f:g/h@i j", Value: "ünïcode 1"}}, true},
		{"bad character", []Tag{{Key: "a*b"}}, false},
		{"reserved prefix", []Tag{{Key: "aws:cloudformation:stack-name"}}, false},
		{"reserved prefix any case", []Tag{{Key: "Aws:x"}}, false},
		{"duplicate key", []Tag{{Key: "a"}, {Key: "a"}}, false},
		{"invalid utf-8", []Tag{{Key: "\xff"}}, false},
	} {
		err := ValidateTags(tc.tags)
		if tc.ok != (err == nil) {
			t.Errorf("%s: ValidateTags = %v", tc.name, err)
		}
		if err != nil && !errors.Is(err, ErrInvalidParameter) {
			t.Errorf("%s: kind of %v", tc.name, err)
		}
	}
}
