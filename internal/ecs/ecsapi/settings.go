package ecsapi

import (
	"context"
	"regexp"
	"slices"
	"strings"

	"github.com/quayside/quayside/internal/ecs"
	"github.com/quayside/quayside/internal/ecs/ecsdb"
	"github.com/quayside/quayside/internal/fault"
	"github.com/quayside/quayside/internal/protocol/awsjson"
	"github.com/quayside/quayside/internal/store"
	"github.com/quayside/quayside/internal/wire"
	"github.com/quayside/quayside/internal/wire/ecswire"
)

// Account settings. Every request acts as the account's root user
// (arn:aws:iam::<account>:root), as STS GetCallerIdentity reports, and
// the root user's settings are the account defaults: PutAccountSetting
// without a principal and PutAccountSettingDefault write the same record
// (ecsdb principal "default"). A setting resolves as the principal's own
// value, else the account default, else AWS's default below.

func (a *API) mountSettings(s *awsjson.Service) {
	awsjson.Handle(s, "PutAccountSetting", a.putAccountSetting)
	awsjson.Handle(s, "PutAccountSettingDefault", a.putAccountSettingDefault)
	awsjson.Handle(s, "ListAccountSettings", a.listAccountSettings)
	awsjson.Handle(s, "DeleteAccountSetting", a.deleteAccountSetting)
}

// settingRule is AWS's default for a setting and the values it accepts.
type settingRule struct {
	def    string
	values []string
}

// settingRules follows the ECS developer guide's account settings page.
// The defaults of fargateEventWindows (disabled) and fargateFIPSMode
// (disabled, outside GovCloud) are Quayside's reading, not confirmed.
var settingRules = map[ecs.SettingName]settingRule{
	ecs.SettingServiceLongARNFormat:            {"enabled", []string{"enabled", "disabled"}},
	ecs.SettingTaskLongARNFormat:               {"enabled", []string{"enabled", "disabled"}},
	ecs.SettingContainerInstanceLongARNFormat:  {"enabled", []string{"enabled", "disabled"}},
	ecs.SettingAWSVPCTrunking:                  {"disabled", []string{"enabled", "disabled"}},
	ecs.SettingContainerInsights:               {"disabled", []string{"enabled", "disabled", "enhanced"}},
	ecs.SettingFargateFIPSMode:                 {"disabled", []string{"enabled", "disabled"}},
	ecs.SettingTagResourceAuthorization:        {"on", []string{"on", "off"}},
	ecs.SettingFargateTaskRetirementWaitPeriod: {"7", []string{"0", "7", "14"}},
	ecs.SettingGuardDutyActivate:               {"off", []string{"on", "off"}},
	ecs.SettingDefaultLogDriverMode:            {"non-blocking", []string{"blocking", "non-blocking"}},
	ecs.SettingFargateEventWindows:             {"disabled", []string{"enabled", "disabled"}},
}

// defaultPrincipal is ecsdb's principal key for the account defaults.
const defaultPrincipal = "default"

// rootARN is the account's root user, the principal every request acts as.
func rootARN(account string) string { return "arn:aws:iam::" + account + ":root" }

var principalRE = regexp.MustCompile(`^arn:aws[a-z-]*:iam::(\d{12}):(root|(user|role)/[\w+=,.@/-]+)$`)

// principalKey validates a principal ARN ("" for the caller) and returns
// it with its ecsdb key.
func principalKey(s ecsdb.Scope, arn string) (string, string, error) {
	if arn == "" {
		arn = rootARN(s.Account)
	}
	m := principalRE.FindStringSubmatch(arn)
	if m == nil {
		// message not confirmed
		return "", "", fault.Newf(ecs.ErrInvalidParameter, "The principal ARN '%s' is not valid. Specify the ARN of an IAM user, an IAM role or the root user.", arn)
	}
	if m[1] != s.Account {
		// message not confirmed
		return "", "", fault.Newf(ecs.ErrInvalidParameter, "The principal ARN '%s' is not in your account %s.", arn, s.Account)
	}
	if m[2] == "root" {
		return arn, defaultPrincipal, nil
	}
	return arn, arn, nil
}

// checkSettingValue validates a value for a named setting (the model
// validates the name). Messages are not confirmed.
func checkSettingValue(name ecs.SettingName, value string, principal string) error {
	rule, ok := settingRules[name]
	if !ok {
		return fault.Newf(ecs.ErrInvalidParameter, "Unknown account setting '%s'.", name)
	}
	if name == ecs.SettingGuardDutyActivate {
		return fault.New(ecs.ErrInvalidParameter, "The guardDutyActivate account setting is managed by AWS and can't be changed.")
	}
	if !slices.Contains(rule.values, value) {
		return fault.Newf(ecs.ErrInvalidParameter, "The value '%s' is not valid for the account setting %s. Valid values are: %s.", value, name, strings.Join(rule.values, ", "))
	}
	if name == ecs.SettingFargateTaskRetirementWaitPeriod && principal != defaultPrincipal {
		return fault.New(ecs.ErrInvalidParameter, "The fargateTaskRetirementWaitPeriod account setting can only be set by the root user.")
	}
	return nil
}

func (a *API) putAccountSetting(ctx context.Context, in *ecswire.PutAccountSettingRequest) (*ecswire.PutAccountSettingResponse, error) {
	st, err := a.putSetting(ctx, wire.ToString(in.Name), wire.ToString(in.Value), wire.ToString(in.PrincipalArn))
	if err != nil {
		return nil, err
	}
	return &ecswire.PutAccountSettingResponse{Setting: st}, nil
}

func (a *API) putAccountSettingDefault(ctx context.Context, in *ecswire.PutAccountSettingDefaultRequest) (*ecswire.PutAccountSettingDefaultResponse, error) {
	st, err := a.putSetting(ctx, wire.ToString(in.Name), wire.ToString(in.Value), "")
	if err != nil {
		return nil, err
	}
	return &ecswire.PutAccountSettingDefaultResponse{Setting: st}, nil
}

func (a *API) putSetting(ctx context.Context, name, value, principal string) (*ecswire.Setting, error) {
	s := scope(ctx)
	arn, key, err := principalKey(s, principal)
	if err != nil {
		return nil, err
	}
	if err := checkSettingValue(ecs.SettingName(name), value, key); err != nil {
		return nil, err
	}
	st := ecs.AccountSetting{Name: ecs.SettingName(name), Value: value, Type: ecs.SettingTypeUser}
	if key != defaultPrincipal {
		st.PrincipalARN = arn
	}
	if err := a.store.Update(ctx, func(tx store.Tx) error { return ecsdb.PutSetting(tx, s, key, st) }); err != nil {
		return nil, err
	}
	return settingToWire(st, arn), nil
}

func (a *API) deleteAccountSetting(ctx context.Context, in *ecswire.DeleteAccountSettingRequest) (*ecswire.DeleteAccountSettingResponse, error) {
	s := scope(ctx)
	arn, key, err := principalKey(s, wire.ToString(in.PrincipalArn))
	if err != nil {
		return nil, err
	}
	name := ecs.SettingName(wire.ToString(in.Name))
	if name == ecs.SettingGuardDutyActivate {
		return nil, checkSettingValue(name, "", key)
	}
	var out ecs.AccountSetting
	err = a.store.Update(ctx, func(tx store.Tx) error {
		st, err := ecsdb.GetSetting(tx, s, key, string(name))
		if ecsdb.IsNotFound(err) {
			// Nothing was set: answer with the value that applies, as
			// deleting changed nothing (behaviour not confirmed).
			out, err = effectiveSetting(tx, s, key, name)
			return err
		}
		if err != nil {
			return err
		}
		out = st
		return ecsdb.DeleteSetting(tx, s, key, string(name))
	})
	if err != nil {
		return nil, err
	}
	return &ecswire.DeleteAccountSettingResponse{Setting: settingToWire(out, arn)}, nil
}

func (a *API) listAccountSettings(ctx context.Context, in *ecswire.ListAccountSettingsRequest) (*ecswire.ListAccountSettingsResponse, error) {
	limit, err := pageSize(in.MaxResults, 10, 10)
	if err != nil {
		return nil, err
	}
	after, err := decodeToken(in.NextToken)
	if err != nil {
		return nil, err
	}
	name, value := ecs.SettingName(wire.ToString(in.Name)), wire.ToString(in.Value)
	if value != "" && name == "" {
		// message not confirmed
		return nil, fault.New(ecs.ErrInvalidParameter, "To filter account settings by value, specify the setting name too.")
	}
	s := scope(ctx)
	arn, key, err := principalKey(s, wire.ToString(in.PrincipalArn))
	if err != nil {
		return nil, err
	}
	var all []ecs.AccountSetting
	err = a.store.View(ctx, func(tx store.ReadTx) error {
		for _, n := range ecs.SettingNames {
			if name != "" && n != name {
				continue
			}
			st, err := ecsdb.GetSetting(tx, s, key, string(n))
			if ecsdb.IsNotFound(err) && wire.ToBool(in.EffectiveSettings) {
				st, err = effectiveSetting(tx, s, key, n)
			}
			if ecsdb.IsNotFound(err) {
				continue
			}
			if err != nil {
				return err
			}
			if value == "" || st.Value == value {
				all = append(all, st)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(all, func(x, y ecs.AccountSetting) int { return strings.Compare(string(x.Name), string(y.Name)) })
	out := &ecswire.ListAccountSettingsResponse{Settings: []ecswire.Setting{}}
	for _, st := range all {
		if after != "" && string(st.Name) <= after {
			continue
		}
		if len(out.Settings) == limit {
			out.NextToken = encodeToken(*out.Settings[limit-1].Name)
			break
		}
		out.Settings = append(out.Settings, *settingToWire(st, arn))
	}
	return out, nil
}

// effectiveSetting resolves a setting for a principal key: the account
// default when the principal has none of its own, else AWS's default.
func effectiveSetting(tx store.ReadTx, s ecsdb.Scope, key string, name ecs.SettingName) (ecs.AccountSetting, error) {
	if key != defaultPrincipal {
		st, err := ecsdb.GetSetting(tx, s, key, string(name))
		if err == nil || !ecsdb.IsNotFound(err) {
			return st, err
		}
	}
	st, err := ecsdb.GetSetting(tx, s, defaultPrincipal, string(name))
	if err == nil || !ecsdb.IsNotFound(err) {
		return st, err
	}
	typ := ecs.SettingTypeUser
	if name == ecs.SettingGuardDutyActivate {
		typ = ecs.SettingTypeAWSManaged
	}
	return ecs.AccountSetting{Name: name, Value: settingRules[name].def, Type: typ}, nil
}

// settingToWire shows a setting as principal's.
func settingToWire(st ecs.AccountSetting, principal string) *ecswire.Setting {
	w := &ecswire.Setting{Name: wire.String(string(st.Name)), Value: wire.String(st.Value), PrincipalArn: wire.String(principal)}
	if st.Type != "" {
		w.Type = wire.String(string(st.Type))
	}
	return w
}
