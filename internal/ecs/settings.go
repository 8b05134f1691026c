package ecs

// SettingName names an account setting.
type SettingName string

// Account setting names.
const (
	SettingServiceLongARNFormat            SettingName = "serviceLongArnFormat"
	SettingTaskLongARNFormat               SettingName = "taskLongArnFormat"
	SettingContainerInstanceLongARNFormat  SettingName = "containerInstanceLongArnFormat"
	SettingAWSVPCTrunking                  SettingName = "awsvpcTrunking"
	SettingContainerInsights               SettingName = "containerInsights"
	SettingFargateFIPSMode                 SettingName = "fargateFIPSMode"
	SettingTagResourceAuthorization        SettingName = "tagResourceAuthorization"
	SettingFargateTaskRetirementWaitPeriod SettingName = "fargateTaskRetirementWaitPeriod"
	SettingGuardDutyActivate               SettingName = "guardDutyActivate"
	SettingDefaultLogDriverMode            SettingName = "defaultLogDriverMode"
	SettingFargateEventWindows             SettingName = "fargateEventWindows"
)

// SettingNames lists every account setting name, as the model does.
var SettingNames = []SettingName{
	SettingServiceLongARNFormat, SettingTaskLongARNFormat, SettingContainerInstanceLongARNFormat,
	SettingAWSVPCTrunking, SettingContainerInsights, SettingFargateFIPSMode,
	SettingTagResourceAuthorization, SettingFargateTaskRetirementWaitPeriod,
	SettingGuardDutyActivate, SettingDefaultLogDriverMode, SettingFargateEventWindows,
}

// SettingType says who set an account setting.
type SettingType string

// Setting types.
const (
	SettingTypeUser       SettingType = "user"
	SettingTypeAWSManaged SettingType = "aws_managed"
)

// AccountSetting is an account setting for a principal, or the account
// default when PrincipalARN is empty.
type AccountSetting struct {
	Name         SettingName `json:"name"`
	Value        string      `json:"value"`
	PrincipalARN string      `json:"principalArn,omitempty"`
	Type         SettingType `json:"type,omitempty"`
}
