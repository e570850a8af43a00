package codec

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"

	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/peat-protocol/libpeat/core/status"
)

// errGiveUp stops the walk of unknownJSONKey on input it does not follow
// (malformed JSON, a value of the wrong shape): protojson's own error stands.
var errGiveUp = errors.New("give up")

// unknownJSONKey finds the first key of proto3 JSON data that names no field
// of its message and returns it as an UNKNOWN_FIELD error at the key's path
// (proto field names for the fields around it, as validation paths are
// written). protojson refuses such a key too, but names neither the path nor
// the message; this walk runs only after protojson has failed in strict mode.
// It returns nil when it finds no unknown key.
func unknownJSONKey(md protoreflect.MessageDescriptor, data []byte) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	err := walkMessage(dec, md, "", 0)
	if err == errGiveUp {
		return nil
	}
	return err
}

func join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

func delim(dec *json.Decoder) (json.Delim, bool, error) {
	tok, err := dec.Token()
	if err != nil {
		return 0, false, errGiveUp
	}
	d, ok := tok.(json.Delim)
	return d, ok, nil
}

func skip(dec *json.Decoder) error {
	var raw json.RawMessage
	if err := dec.Decode(&raw); err != nil {
		return errGiveUp
	}
	return nil
}

func walkMessage(dec *json.Decoder, md protoreflect.MessageDescriptor, path string, depth int) error {
	if depth > RecursionLimit {
		return errGiveUp
	}
	// Well-known types have JSON forms of their own (strings, arrays, "@type").
	if md.ParentFile() != nil && md.ParentFile().Package() == "google.protobuf" {
		return skip(dec)
	}
	d, ok, err := delim(dec)
	if err != nil {
		return err
	}
	if !ok {
		return nil // null (or a scalar protojson refuses on its own)
	}
	if d != '{' {
		return errGiveUp
	}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return errGiveUp
		}
		key, _ := tok.(string)
		fd := md.Fields().ByJSONName(key)
		if fd == nil {
			fd = md.Fields().ByName(protoreflect.Name(key))
		}
		if fd == nil {
			return status.Errorf(status.Decode, "unknown key %q in %s (strict JSON)", key, md.FullName()).
				WithCode("UNKNOWN_FIELD").AtPath(join(path, key))
		}
		if err := walkField(dec, fd, join(path, string(fd.Name())), depth); err != nil {
			return err
		}
	}
	_, err = dec.Token() // '}'
	if err != nil {
		return errGiveUp
	}
	return nil
}

func walkField(dec *json.Decoder, fd protoreflect.FieldDescriptor, path string, depth int) error {
	switch {
	case fd.IsMap():
		vd := fd.MapValue().Message()
		if vd == nil {
			return skip(dec)
		}
		d, ok, err := delim(dec)
		if err != nil || !ok {
			return err
		}
		if d != '{' {
			return errGiveUp
		}
		for dec.More() {
			tok, err := dec.Token()
			if err != nil {
				return errGiveUp
			}
			if err := walkMessage(dec, vd, fmt.Sprintf("%s[%q]", path, tok), depth+1); err != nil {
				return err
			}
		}
		if _, err := dec.Token(); err != nil {
			return errGiveUp
		}
		return nil
	case fd.IsList():
		if fd.Message() == nil {
			return skip(dec)
		}
		d, ok, err := delim(dec)
		if err != nil || !ok {
			return err
		}
		if d != '[' {
			return errGiveUp
		}
		for i := 0; dec.More(); i++ {
			if err := walkMessage(dec, fd.Message(), fmt.Sprintf("%s[%d]", path, i), depth+1); err != nil {
				return err
			}
		}
		if _, err := dec.Token(); err != nil {
			return errGiveUp
		}
		return nil
	case fd.Message() != nil:
		return walkMessage(dec, fd.Message(), path, depth+1)
	}
	return skip(dec)
}
