package ecr

import "time"

// Image scan statuses (ScanStatus in the botocore model) that Quayside
// reports.
const (
	ScanUnsupportedImage = "UNSUPPORTED_IMAGE"
)

// ScanNoScanner is the description of every scan Quayside records. It
// has no vulnerability scanner yet, so a scan is accepted and recorded
// (scanOnPush, StartImageScan) and reported as UNSUPPORTED_IMAGE: no
// finding is ever claimed, and above all no clean result.
const ScanNoScanner = "Quayside has no vulnerability scanner yet: the image was not scanned and no findings exist."

// ScanRecord is an image's last scan request and its outcome.
type ScanRecord struct {
	Status      string    `json:"status"`
	Description string    `json:"description,omitempty"`
	RequestedAt time.Time `json:"requestedAt"`
	// OnPush is true when the repository's scanOnPush asked for it.
	OnPush bool `json:"onPush,omitempty"`
}

// NewScan records a scan requested at now.
func NewScan(now time.Time, onPush bool) *ScanRecord {
	return &ScanRecord{Status: ScanUnsupportedImage, Description: ScanNoScanner, RequestedAt: now.UTC(), OnPush: onPush}
}
