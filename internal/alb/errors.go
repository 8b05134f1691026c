package alb

import (
	"net/http"
	"strconv"
)

// serverHeader is the Server header of answers the load balancer makes
// itself.
const serverHeader = "awselb/2.0"

// errorPage is ALB's HTML body for an error status: the same markup for
// every code, with CRLF line ends (122 bytes for 502, 162 for 503).
func errorPage(status string) string {
	return "<html>\r\n<head><title>" + status + "</title></head>\r\n<body>\r\n<center><h1>" + status +
		"</h1></center>\r\n</body>\r\n</html>\r\n"
}

var errorPages = map[int]string{
	http.StatusBadGateway:          errorPage("502 Bad Gateway"),
	http.StatusServiceUnavailable:  errorPage("503 Service Temporarily Unavailable"),
	http.StatusGatewayTimeout:      errorPage("504 Gateway Time-out"),
	http.StatusInternalServerError: errorPage("500 Internal Server Error"),
}

// writeError answers with one of the load balancer's own error pages.
func writeError(w http.ResponseWriter, code int) {
	body := errorPages[code]
	h := w.Header()
	h.Set("Server", serverHeader)
	h.Set("Content-Type", "text/html")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(code)
	_, _ = w.Write([]byte(body))
}
