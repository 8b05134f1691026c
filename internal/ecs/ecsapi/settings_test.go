package ecsapi_test

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsecs "github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
)

const (
	rootPrincipal = "arn:aws:iam::" + testAccount + ":root"
	userPrincipal = "arn:aws:iam::" + testAccount + ":user/alice"
)

// effective lists every effective setting of a principal as name → value.
func effective(t *testing.T, c *awsecs.Client, principal string) map[string]string {
	t.Helper()
	in := &awsecs.ListAccountSettingsInput{EffectiveSettings: true}
	if principal != "" {
		in.PrincipalArn = aws.String(principal)
	}
	got := map[string]string{}
	p := awsecs.NewListAccountSettingsPaginator(c, in)
	for p.HasMorePages() {
		out, err := p.NextPage(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range out.Settings {
			want := principal
			if want == "" {
				want = rootPrincipal
			}
			if aws.ToString(s.PrincipalArn) != want {
				t.Fatalf("setting %s has principal %s, want %s", s.Name, aws.ToString(s.PrincipalArn), want)
			}
			got[string(s.Name)] = aws.ToString(s.Value)
		}
	}
	return got
}

func TestAccountSettingDefaults(t *testing.T) {
	c, _ := startECS(t)
	got := effective(t, c, "")
	want := map[string]string{
		"serviceLongArnFormat": "enabled", "taskLongArnFormat": "enabled", "containerInstanceLongArnFormat": "enabled",
		"awsvpcTrunking": "disabled", "containerInsights": "disabled", "fargateFIPSMode": "disabled",
		"tagResourceAuthorization": "on", "fargateTaskRetirementWaitPeriod": "7", "guardDutyActivate": "off",
		"defaultLogDriverMode": "non-blocking", "fargateEventWindows": "disabled",
	}
	if len(got) != len(types.SettingName("").Values()) {
		t.Fatalf("got %d settings, the model has %d", len(got), len(types.SettingName("").Values()))
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %q, want %q", k, got[k], v)
		}
	}

	// The first page holds ten settings, in name order, then a token.
	out, err := c.ListAccountSettings(context.Background(), &awsecs.ListAccountSettingsInput{EffectiveSettings: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Settings) != 10 || out.NextToken == nil || out.Settings[0].Name != types.SettingNameAwsvpcTrunking {
		t.Fatalf("first page: %d settings, token %v, first %s", len(out.Settings), out.NextToken, out.Settings[0].Name)
	}
	for _, s := range out.Settings {
		wantType := types.SettingTypeUser
		if s.Name == types.SettingNameGuardDutyActivate {
			wantType = types.SettingTypeAwsManaged
		}
		if s.Type != wantType {
			t.Errorf("%s type = %s, want %s", s.Name, s.Type, wantType)
		}
	}
}

func TestAccountSettingPrecedence(t *testing.T) {
	c, _ := startECS(t)
	ctx := context.Background()
	def, err := c.PutAccountSettingDefault(ctx, &awsecs.PutAccountSettingDefaultInput{Name: types.SettingNameAwsvpcTrunking, Value: aws.String("enabled")})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(def.Setting.PrincipalArn) != rootPrincipal || aws.ToString(def.Setting.Value) != "enabled" {
		t.Fatalf("default = %+v", def.Setting)
	}
	user, err := c.PutAccountSetting(ctx, &awsecs.PutAccountSettingInput{Name: types.SettingNameContainerInsights, Value: aws.String("enabled"), PrincipalArn: aws.String(userPrincipal)})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(user.Setting.PrincipalArn) != userPrincipal {
		t.Fatalf("user setting = %+v", user.Setting)
	}

	// The user sees its own value, then the account default, then AWS's.
	u := effective(t, c, userPrincipal)
	if u["containerInsights"] != "enabled" || u["awsvpcTrunking"] != "enabled" || u["fargateFIPSMode"] != "disabled" {
		t.Fatalf("user effective = %v", u)
	}
	// The caller (root) does not see the user's setting.
	if r := effective(t, c, ""); r["containerInsights"] != "disabled" || r["awsvpcTrunking"] != "enabled" {
		t.Fatalf("root effective = %v", r)
	}

	// Without effectiveSettings only what the principal set is listed.
	own, err := c.ListAccountSettings(ctx, &awsecs.ListAccountSettingsInput{PrincipalArn: aws.String(userPrincipal)})
	if err != nil || len(own.Settings) != 1 || own.Settings[0].Name != types.SettingNameContainerInsights {
		t.Fatalf("own settings: %v %+v", err, own)
	}
	// Filter by name and value.
	f, err := c.ListAccountSettings(ctx, &awsecs.ListAccountSettingsInput{EffectiveSettings: true, Name: types.SettingNameAwsvpcTrunking, Value: aws.String("disabled")})
	if err != nil || len(f.Settings) != 0 {
		t.Fatalf("filter: %v %+v", err, f.Settings)
	}
	f, err = c.ListAccountSettings(ctx, &awsecs.ListAccountSettingsInput{EffectiveSettings: true, Name: types.SettingNameAwsvpcTrunking, Value: aws.String("enabled")})
	if err != nil || len(f.Settings) != 1 {
		t.Fatalf("filter: %v %+v", err, f.Settings)
	}

	// Deleting the user's setting falls back to the account default.
	del, err := c.DeleteAccountSetting(ctx, &awsecs.DeleteAccountSettingInput{Name: types.SettingNameContainerInsights, PrincipalArn: aws.String(userPrincipal)})
	if err != nil || aws.ToString(del.Setting.Value) != "enabled" {
		t.Fatalf("delete: %v %+v", err, del)
	}
	if u := effective(t, c, userPrincipal); u["containerInsights"] != "disabled" {
		t.Fatalf("after delete: %v", u)
	}
	// PutAccountSetting without a principal acts for the caller, the root
	// user: it is the account default.
	if _, err := c.PutAccountSetting(ctx, &awsecs.PutAccountSettingInput{Name: types.SettingNameTagResourceAuthorization, Value: aws.String("off")}); err != nil {
		t.Fatal(err)
	}
	if u := effective(t, c, userPrincipal); u["tagResourceAuthorization"] != "off" {
		t.Fatalf("root setting not inherited: %v", u)
	}
}

func TestAccountSettingErrors(t *testing.T) {
	c, _ := startECS(t)
	ctx := context.Background()
	for _, tc := range []struct {
		name      string
		in        awsecs.PutAccountSettingInput
		code, msg string
	}{
		{"bad value", awsecs.PutAccountSettingInput{Name: types.SettingNameAwsvpcTrunking, Value: aws.String("on")},
			"InvalidParameterException", "The value 'on' is not valid for the account setting awsvpcTrunking. Valid values are: enabled, disabled."},
		{"unknown name", awsecs.PutAccountSettingInput{Name: "nope", Value: aws.String("on")},
			"InvalidParameterException", "1 validation error detected: Value 'nope' at 'name' failed to satisfy constraint: Member must satisfy enum value set: [serviceLongArnFormat, taskLongArnFormat, containerInstanceLongArnFormat, awsvpcTrunking, containerInsights, fargateFIPSMode, tagResourceAuthorization, fargateTaskRetirementWaitPeriod, guardDutyActivate, defaultLogDriverMode, fargateEventWindows]"},
		{"read-only", awsecs.PutAccountSettingInput{Name: types.SettingNameGuardDutyActivate, Value: aws.String("on")},
			"InvalidParameterException", "The guardDutyActivate account setting is managed by AWS and can't be changed."},
		{"retirement wait for a user", awsecs.PutAccountSettingInput{Name: types.SettingNameFargateTaskRetirementWaitPeriod, Value: aws.String("14"), PrincipalArn: aws.String(userPrincipal)},
			"InvalidParameterException", "The fargateTaskRetirementWaitPeriod account setting can only be set by the root user."},
		{"bad principal", awsecs.PutAccountSettingInput{Name: types.SettingNameAwsvpcTrunking, Value: aws.String("enabled"), PrincipalArn: aws.String("alice")},
			"InvalidParameterException", "The principal ARN 'alice' is not valid. Specify the ARN of an IAM user, an IAM role or the root user."},
		{"other account", awsecs.PutAccountSettingInput{Name: types.SettingNameAwsvpcTrunking, Value: aws.String("enabled"), PrincipalArn: aws.String("arn:aws:iam::111111111111:root")},
			"InvalidParameterException", "The principal ARN 'arn:aws:iam::111111111111:root' is not in your account 000000000000."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := c.PutAccountSetting(ctx, &tc.in)
			wantAPIError(t, err, tc.code, tc.msg)
		})
	}
	if _, err := c.PutAccountSetting(ctx, &awsecs.PutAccountSettingInput{Name: types.SettingNameFargateTaskRetirementWaitPeriod, Value: aws.String("14")}); err != nil {
		t.Fatalf("root may set the retirement wait: %v", err)
	}
	_, err := c.ListAccountSettings(ctx, &awsecs.ListAccountSettingsInput{Value: aws.String("enabled")})
	wantAPIError(t, err, "InvalidParameterException", "To filter account settings by value, specify the setting name too.")
	_, err = c.ListAccountSettings(ctx, &awsecs.ListAccountSettingsInput{MaxResults: 11})
	wantAPIError(t, err, "InvalidParameterException", "maxResults must be between 1 and 10.")
}
