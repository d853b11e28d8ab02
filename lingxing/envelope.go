package lingxing

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/shopcrm/shopcrm"
)

// Gateway errors: HTTP 200 with a string code and "msg", as the auth server answers.
var (
	errAppNotExist    = gatewayError{"2001001", "app not exist"}
	errSecret         = gatewayError{"2001002", "app secret not correct"}
	errTokenExpired   = gatewayError{"2001003", "access token is missing or expire"}
	errNotAuthorized  = gatewayError{"2001004", "the api not authorized, please grant first"}
	errTokenMismatch  = gatewayError{"2001005", "access token not match"}
	errSign           = gatewayError{"2001006", "api sign not correct"}
	errSignExpired    = gatewayError{"2001007", "api sign has expired"}
	errRefreshExpired = gatewayError{"2001008", "refresh token expired. please get access token again"}
	errRefreshInvalid = gatewayError{"2001009", "refresh token is invalid"}
	errMissingParam   = gatewayError{"3001001", "missing query param(access_token,sign,timestamp,app_key)"}
	errTooFrequent    = gatewayError{"3001008", "requests too frequently. please request later."}
	errInternal       = gatewayError{"500", "internal error"}
)

type gatewayError struct {
	Code string `json:"code"`
	Msg  string `json:"msg"`
}

// gatewayReply keeps the fields in the order the real gateway writes them.
type gatewayReply struct {
	Code string `json:"code"`
	Msg  string `json:"msg"`
	Data any    `json:"data"`
}

func writeGateway(w http.ResponseWriter, e gatewayError) {
	writeJSON(w, gatewayReply{Code: e.Code, Msg: e.Msg})
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.Encode(v)
}

// businessCodes maps the domain's error codes to business envelope codes, in one place.
var businessCodes = map[string]struct {
	code int
	msg  string
}{
	shopcrm.EINVALID:      {102, "参数不合法"},
	shopcrm.ENOTFOUND:     {400, "资源不存在"},
	shopcrm.ECONFLICT:     {102, "参数不合法"},
	shopcrm.EUNAUTHORIZED: {401, "授权被禁用，请检查授权状态"},
	shopcrm.EFORBIDDEN:    {403, "授权失效，请更新授权有效期(或检查权限)"},
	shopcrm.ERATELIMITED:  {103, "请求过于频繁,请稍后再试"},
	shopcrm.EINTERNAL:     {1, "服务内部错误"},
}

// envelope is the business reply of every open API endpoint.
type envelope struct {
	Code         int      `json:"code"`
	Message      string   `json:"message"`
	ErrorDetails []string `json:"error_details"`
	RequestID    string   `json:"request_id"`
	ResponseTime string   `json:"response_time"`
	Data         any      `json:"data"`
	Total        *int     `json:"total,omitempty"` // nil only where Lingxing prints none
}

var shanghai = shopcrm.LoadLocation("Asia/Shanghai")

func (s *Server) newEnvelope() *envelope {
	now := s.Now()
	b := make([]byte, 16)
	rand.Read(b)
	return &envelope{Message: "success", ErrorDetails: []string{}, Total: new(int),
		RequestID:    fmt.Sprintf("%s.%d", hex.EncodeToString(b), now.UnixMilli()),
		ResponseTime: now.In(shanghai).Format(time.DateTime)}
}

// writeData writes a successful business reply.
func (s *Server) writeData(w http.ResponseWriter, data any, total int) {
	e := s.newEnvelope()
	e.Data = data
	if total < 0 {
		e.Total = nil
	} else {
		*e.Total = total
	}
	writeJSON(w, e)
}

// writeNoService answers a path (or method) the API does not serve, as Lingxing does.
func (s *Server) writeNoService(w http.ResponseWriter, detail string) {
	e := s.newEnvelope()
	e.Code, e.Message = 400, "服务不存在"
	if detail != "" {
		e.ErrorDetails = append(e.ErrorDetails, detail)
	}
	writeJSON(w, e)
}

// writeError writes a failed business reply; invalid parameters name each bad field.
func (s *Server) writeError(w http.ResponseWriter, err error) {
	code := shopcrm.ErrorCode(err)
	bc, ok := businessCodes[code]
	if !ok {
		bc = businessCodes[shopcrm.EINTERNAL]
	}
	e := s.newEnvelope()
	e.Code, e.Message = bc.code, bc.msg
	if code == shopcrm.EINTERNAL {
		if !errors.Is(err, context.Canceled) { // a client that went away is not a failure
			s.Logger.Error("open api", "err", err)
		}
	} else {
		e.Message = bc.msg + ": " + shopcrm.ErrorMessage(err)
	}
	for _, f := range shopcrm.ErrorFields(err) {
		e.ErrorDetails = append(e.ErrorDetails, f.Field+": "+f.Message)
	}
	writeJSON(w, e)
}

func invalid(field, format string, args ...any) error {
	var fe shopcrm.FieldErrors
	fe.Add(field, format, args...)
	return fe.Err()
}
