-- Wireshark dissector for qgate protocol version 1 (docs/PROTOCOL.md; the layouts are those of
-- gateway-engine's io.qgate.engine.protocol and io.qgate.engine.session classes).
--
-- Load it with `tshark -X lua_script:tools/wireshark/qgate.lua ...` or copy it into the personal
-- Lua plugins folder (Help > About Wireshark > Folders). docs/WIRESHARK.md lists the fields.
--
-- Every read is bounded by the datagram's captured length: a truncated or corrupted datagram is
-- decoded as far as it goes and flagged with an expert info of group "Malformed", never a Lua
-- error. Handshake fragments are shown one by one (no reassembly); the body fields of fragment 0
-- are decoded as far as that fragment reaches.

local qgate = Proto("qgate", "qgate post-quantum VPN")

-- Section 1 and 5.1 of docs/PROTOCOL.md (Protocol.java).
local VERSION = 1
local FRAGMENT_HEADER = 16
local MAX_HANDSHAKE_DATAGRAM = 1200
local MAX_FRAGMENT_PAYLOAD = MAX_HANDSHAKE_DATAGRAM - FRAGMENT_HEADER
local MAX_FRAGMENTS = 64
local DATA_HEADER = 16
local TAG = 16
local COOKIE_REPLY_LENGTH = 24
local ERROR_HEADER = 9
local MAX_ERROR_DETAIL = 64
local EPOCH_SHIFT = 22

local T_INITIATION, T_RESPONSE, T_CONFIRM, T_DATA, T_COOKIE_REPLY, T_ERROR, T_CLOSE = 1, 2, 3, 4, 5, 6, 7

local type_names = {
    [1] = "INITIATION", [2] = "RESPONSE", [3] = "CONFIRM", [4] = "DATA",
    [5] = "COOKIE_REPLY", [6] = "HANDSHAKE_ERROR", [7] = "CLOSE",
}

-- Section 2 (Suite.java); KEM key and ciphertext lengths from crypto-native's KemAlgorithm.
local suite_names = {
    [1] = "mlkem768-mldsa65-aes256gcm-sha3",
    [2] = "mlkem1024-mldsa87-aes256gcm-sha3",
    [3] = "xwing-mldsa65-aes256gcm-sha3",
    [4] = "mlkem768-mldsa65-chacha20poly1305-sha3",
}
local kem_public_key = { [1] = 1184, [2] = 1568, [3] = 1216, [4] = 1184 }
local kem_ciphertext = { [1] = 1088, [2] = 1568, [3] = 1120, [4] = 1088 }

-- Section 10 (ErrorCode.java).
local error_names = {
    [1] = "UNSUPPORTED_VERSION", [2] = "UNKNOWN_MESSAGE_TYPE", [3] = "MALFORMED_MESSAGE",
    [4] = "UNSUPPORTED_SUITE", [5] = "DOWNGRADE_DETECTED", [6] = "INITIATION_TOO_SHORT",
    [7] = "CERTIFICATE_EXPIRED", [8] = "CERTIFICATE_NOT_YET_VALID", [9] = "CERTIFICATE_REVOKED",
    [10] = "UNKNOWN_ISSUER", [11] = "WRONG_ROLE", [12] = "SUITE_NOT_PERMITTED", [13] = "BAD_SIGNATURE",
    [14] = "KEY_CONFIRMATION_FAILED", [15] = "AUTHENTICATION_REQUIRED", [16] = "TIMESTAMP_OUT_OF_WINDOW",
    [17] = "COOKIE_REQUIRED", [18] = "HANDSHAKE_TIMEOUT", [19] = "PEER_CLOSED",
    [20] = "REVOCATION_LIST_EXPIRED", [21] = "BAD_CERTIFICATE", [22] = "UNEXPECTED_PEER",
    [23] = "PEER_DEAD", [24] = "KEYS_EXPIRED", [25] = "RATE_LIMITED",
}

local f = {
    type = ProtoField.uint8("qgate.type", "Type", base.DEC, type_names),
    version = ProtoField.uint8("qgate.version", "Version", base.DEC),
    message_length = ProtoField.uint16("qgate.message_length", "Message length", base.DEC),
    sender_index = ProtoField.uint32("qgate.sender_index", "Sender index", base.HEX),
    receiver_index = ProtoField.uint32("qgate.receiver_index", "Receiver index", base.HEX),
    fragment_offset = ProtoField.uint16("qgate.fragment_offset", "Fragment offset", base.DEC),
    fragment_index = ProtoField.uint8("qgate.fragment_index", "Fragment index", base.DEC),
    fragment_count = ProtoField.uint8("qgate.fragment_count", "Fragment count", base.DEC),
    fragment = ProtoField.bytes("qgate.fragment", "Fragment bytes"),
    cookie = ProtoField.bytes("qgate.cookie", "Cookie"),
    timestamp_ms = ProtoField.uint64("qgate.timestamp_ms", "Timestamp (Unix ms)", base.DEC),
    random = ProtoField.bytes("qgate.random", "Random"),
    flags = ProtoField.uint8("qgate.flags", "Flags", base.HEX),
    mutual = ProtoField.bool("qgate.flags.mutual", "Mutual authentication", 8, nil, 0x01),
    suite = ProtoField.uint8("qgate.suite", "Chosen suite", base.DEC, suite_names),
    offered_count = ProtoField.uint8("qgate.offered_count", "Offered suites", base.DEC),
    offered_suite = ProtoField.uint8("qgate.offered_suite", "Offered suite", base.DEC, suite_names),
    key_length = ProtoField.uint16("qgate.key_length", "Ephemeral key length", base.DEC),
    ephemeral_key = ProtoField.bytes("qgate.ephemeral_key", "Ephemeral key"),
    padding_length = ProtoField.uint16("qgate.padding_length", "Padding length", base.DEC),
    ciphertext_length = ProtoField.uint16("qgate.kem_ciphertext_length", "KEM ciphertext length", base.DEC),
    kem_ciphertext = ProtoField.bytes("qgate.kem_ciphertext", "KEM ciphertext"),
    sealed_length = ProtoField.uint32("qgate.sealed_length", "Sealed length", base.DEC),
    sealed = ProtoField.bytes("qgate.sealed", "Sealed (handshake AEAD)"),
    epoch = ProtoField.uint16("qgate.epoch", "Epoch", base.DEC),
    counter = ProtoField.uint64("qgate.counter", "Counter", base.DEC),
    payload_length = ProtoField.uint32("qgate.payload_length", "Payload length", base.DEC),
    ciphertext = ProtoField.bytes("qgate.ciphertext", "Ciphertext"),
    tag = ProtoField.bytes("qgate.tag", "Tag"),
    reserved = ProtoField.uint16("qgate.reserved", "Reserved", base.HEX),
    error_code = ProtoField.uint16("qgate.error_code", "Error code", base.DEC, error_names),
    detail_length = ProtoField.uint8("qgate.detail_length", "Detail length", base.DEC),
    detail = ProtoField.bytes("qgate.detail", "Detail"),
    detail_suite = ProtoField.uint8("qgate.detail_suite", "Suggested suite", base.DEC, suite_names),
    detail_bytes_needed = ProtoField.uint32("qgate.detail_bytes_needed", "Initiation bytes needed", base.DEC),
}
local field_list = {}
for _, field in pairs(f) do
    field_list[#field_list + 1] = field
end
qgate.fields = field_list

-- Group "Malformed", severity error: what Wireshark shows for a datagram a qgate receiver drops.
local e_truncated = ProtoExpert.new("qgate.malformed.truncated", "qgate datagram truncated",
    expert.group.MALFORMED, expert.severity.ERROR)
local e_range = ProtoExpert.new("qgate.malformed.out_of_range", "qgate field out of range",
    expert.group.MALFORMED, expert.severity.ERROR)
local e_type = ProtoExpert.new("qgate.malformed.unknown_type", "Unknown qgate message type",
    expert.group.MALFORMED, expert.severity.ERROR)
local e_version = ProtoExpert.new("qgate.malformed.version", "Unsupported qgate protocol version",
    expert.group.MALFORMED, expert.severity.ERROR)
local e_trailing = ProtoExpert.new("qgate.malformed.trailing", "Trailing bytes after a qgate message",
    expert.group.MALFORMED, expert.severity.ERROR)
local e_continues = ProtoExpert.new("qgate.continues", "Message body continues in the next fragment",
    expert.group.REASSEMBLE, expert.severity.NOTE)
qgate.experts = { e_truncated, e_range, e_type, e_version, e_trailing, e_continues }

qgate.prefs.port = Pref.uint("UDP port", 51820, "The UDP port qgate gateways listen on (decoded as qgate)")
qgate.prefs.heuristic = Pref.bool("Find qgate on any UDP port", false,
    "Try the qgate dissector on UDP datagrams of every port whose type, version and length look like qgate's")

-- Flags the bytes [offset, offset + length) of the datagram, or the whole tree when none are left.
local function flag(tree, tvb, expert_field, offset, length, text)
    if length > 0 and offset + length <= tvb:len() then
        tree:add_tvb_expert_info(expert_field, tvb(offset, length), text)
    else
        tree:add_proto_expert_info(expert_field, text)
    end
end

-- Adds each {offset, size, field} of a fixed layout that lies wholly inside the datagram; returns
-- whether all did.
local function add_fixed(tree, tvb, layout)
    local len = tvb:len()
    local complete = true
    for _, entry in ipairs(layout) do
        local offset, size, field = entry[1], entry[2], entry[3]
        if offset + size <= len then
            tree:add(field, tvb(offset, size))
        else
            complete = false
        end
    end
    return complete
end

local function hex32(value)
    return string.format("0x%08x", value)
end

-- A cursor over the body bytes [pos, stop) of one fragment: take() refuses what does not fit.
local function body_cursor(tvb, pos, stop)
    return { tvb = tvb, pos = pos, stop = stop }
end

local function take(cursor, size)
    if size < 0 or cursor.pos + size > cursor.stop then
        return nil
    end
    local range = size > 0 and cursor.tvb(cursor.pos, size) or nil
    cursor.pos = cursor.pos + size
    return range
end

-- The body fields of fragment 0 (sections 5.2 to 5.4). `whole` is true when the message has one
-- fragment, so that running out of bytes, or bytes left over, is malformed rather than a body that
-- continues in the next fragment.
local function dissect_initiation_body(tree, tvb, c)
    local r = take(c, 16); if not r then return false end
    tree:add(f.cookie, r)
    r = take(c, 8); if not r then return false end
    local item = tree:add(f.timestamp_ms, r)
    local ms = r:uint64()
    if ms < UInt64(0, 0x1000) then -- below 2^44 ms (year 2527): os.date handles it everywhere
        item:append_text(os.date("! (%Y-%m-%d %H:%M:%S UTC)", (ms / 1000):tonumber()))
    end
    r = take(c, 32); if not r then return false end
    tree:add(f.random, r)
    r = take(c, 1); if not r then return false end
    local flags_item = tree:add(f.flags, r)
    flags_item:add(f.mutual, r)
    if r:uint() > 1 then
        flag(tree, tvb, e_range, r:offset(), 1, "INITIATION flags other than bit 0 (mutual) are set")
    end
    r = take(c, 1); if not r then return false end
    local chosen = r:uint()
    tree:add(f.suite, r)
    if not suite_names[chosen] then
        flag(tree, tvb, e_range, r:offset(), 1, "INITIATION chooses suite " .. chosen .. ", which version 1 does not define")
    end
    r = take(c, 1); if not r then return false end
    local count = r:uint()
    tree:add(f.offered_count, r)
    if count < 1 or count > 16 then
        flag(tree, tvb, e_range, r:offset(), 1, "INITIATION offers " .. count .. " suites; it offers 1 to 16")
    end
    for _ = 1, count do
        r = take(c, 1); if not r then return false end
        tree:add(f.offered_suite, r)
    end
    r = take(c, 2); if not r then return false end
    local key_length = r:uint()
    tree:add(f.key_length, r)
    if kem_public_key[chosen] and key_length ~= kem_public_key[chosen] then
        flag(tree, tvb, e_range, r:offset(), 2, "the ephemeral key of suite " .. chosen .. " is "
            .. kem_public_key[chosen] .. " bytes, not " .. key_length)
    end
    local available = math.min(key_length, c.stop - c.pos)
    if available > 0 then
        tree:add(f.ephemeral_key, tvb(c.pos, available))
    end
    r = take(c, key_length); if not r and key_length > 0 then c.pos = c.stop; return false end
    r = take(c, 2); if not r then return false end
    local padding = r:uint()
    tree:add(f.padding_length, r)
    c.pos = math.min(c.pos + padding, c.stop + 1) -- past the padding, or past the end if it does not fit
    return c.pos <= c.stop
end

local function dissect_sealed(tree, tvb, c)
    local r = take(c, 4); if not r then return false end
    local length = r:uint()
    tree:add(f.sealed_length, r)
    local available = math.min(length, c.stop - c.pos)
    if available > 0 then
        tree:add(f.sealed, tvb(c.pos, available))
    end
    if length < TAG then
        flag(tree, tvb, e_range, r:offset(), 4, "a sealed part of " .. length .. " bytes is shorter than its 16-byte tag")
    end
    if not take(c, length) and length > 0 then c.pos = c.stop; return false end
    return true
end

local function dissect_response_body(tree, tvb, c)
    local r = take(c, 32); if not r then return false end
    tree:add(f.random, r)
    r = take(c, 2); if not r then return false end
    local length = r:uint()
    tree:add(f.ciphertext_length, r)
    local known = false
    for _, expected in pairs(kem_ciphertext) do
        known = known or expected == length
    end
    if not known then
        flag(tree, tvb, e_range, r:offset(), 2, "a KEM ciphertext of " .. length .. " bytes fits no suite of version 1")
    end
    local available = math.min(length, c.stop - c.pos)
    if available > 0 then
        tree:add(f.kem_ciphertext, tvb(c.pos, available))
    end
    if not take(c, length) and length > 0 then c.pos = c.stop; return false end
    return dissect_sealed(tree, tvb, c)
end

local body_dissectors = {
    [T_INITIATION] = dissect_initiation_body,
    [T_RESPONSE] = dissect_response_body,
    [T_CONFIRM] = dissect_sealed,
}

-- Section 5.1: a fragment judged alone (the receiver's rule 1).
local function dissect_fragment(tvb, pinfo, tree, mtype)
    local len = tvb:len()
    local name = type_names[mtype]
    if not add_fixed(tree, tvb, {
            { 2, 2, f.message_length }, { 4, 4, f.sender_index }, { 8, 4, f.receiver_index },
            { 12, 2, f.fragment_offset }, { 14, 1, f.fragment_index }, { 15, 1, f.fragment_count } }) then
        flag(tree, tvb, e_truncated, 0, len, name .. " fragment of " .. len
            .. " bytes is shorter than its 16-byte header")
        pinfo.cols.info:set(name .. " (truncated)")
        return
    end
    local message_length = tvb(2, 2):uint()
    local sender, receiver = tvb(4, 4):uint(), tvb(8, 4):uint()
    local offset, index, count = tvb(12, 2):uint(), tvb(14, 1):uint(), tvb(15, 1):uint()
    local fragment_length = len - FRAGMENT_HEADER
    pinfo.cols.info:set(string.format("%s sender=%s receiver=%s fragment %d/%d", name, hex32(sender),
        hex32(receiver), index, count))

    if fragment_length > 0 then
        tree:add(f.fragment, tvb(FRAGMENT_HEADER, fragment_length))
    else
        flag(tree, tvb, e_truncated, 0, len, name .. " fragment carries no body byte; it carries at least one")
    end
    local problems = {}
    if len > MAX_HANDSHAKE_DATAGRAM then
        problems[#problems + 1] = "the datagram is " .. len .. " bytes, more than " .. MAX_HANDSHAKE_DATAGRAM
    end
    if message_length == 0 then
        problems[#problems + 1] = "message_length is 0"
    end
    if sender == 0 then
        problems[#problems + 1] = "sender_index is 0"
    end
    if mtype == T_INITIATION and receiver ~= 0 then
        problems[#problems + 1] = "an INITIATION has a non-zero receiver_index"
    elseif mtype ~= T_INITIATION and receiver == 0 then
        problems[#problems + 1] = name .. " has receiver_index 0"
    end
    if count < 1 or count > MAX_FRAGMENTS then
        problems[#problems + 1] = "fragment_count " .. count .. " is outside 1.." .. MAX_FRAGMENTS
    elseif index >= count then
        problems[#problems + 1] = "fragment_index " .. index .. " is not below fragment_count " .. count
    else
        if message_length > count * MAX_FRAGMENT_PAYLOAD then
            problems[#problems + 1] = "message_length " .. message_length .. " does not fit " .. count .. " fragments"
        end
        if index == 0 and offset ~= 0 then
            problems[#problems + 1] = "fragment 0 starts at " .. offset .. ", not 0"
        end
        if index == count - 1 and fragment_length > 0 and offset + fragment_length ~= message_length then
            problems[#problems + 1] = "the last fragment ends at " .. (offset + fragment_length)
                .. ", not at message_length " .. message_length
        end
        if offset < index or offset + fragment_length > message_length - (count - 1 - index) then
            problems[#problems + 1] = "bytes [" .. offset .. ", " .. (offset + fragment_length)
                .. ") leave no place in a message of " .. message_length .. " bytes and " .. count .. " fragments"
        end
    end
    for _, problem in ipairs(problems) do
        flag(tree, tvb, e_range, 0, FRAGMENT_HEADER, name .. ": " .. problem)
    end

    if index == 0 and offset == 0 and fragment_length > 0 then
        local stop = FRAGMENT_HEADER + math.min(fragment_length, message_length)
        local c = body_cursor(tvb, FRAGMENT_HEADER, stop)
        local complete = body_dissectors[mtype](tree, tvb, c)
        local whole = count == 1
        if not complete and whole then
            flag(tree, tvb, e_truncated, FRAGMENT_HEADER, fragment_length, "the " .. name
                .. " body ends before its fields do")
        elseif not complete then
            tree:add_proto_expert_info(e_continues)
        elseif whole and c.pos < c.stop then
            flag(tree, tvb, e_trailing, c.pos, c.stop - c.pos, (c.stop - c.pos) .. " bytes follow the "
                .. name .. " body")
        end
    end
end

-- Section 9: DATA and CLOSE, a 16-byte header that is the AEAD's associated data, then the
-- ciphertext and the 16-byte tag.
local function dissect_data(tvb, pinfo, tree, mtype)
    local len = tvb:len()
    local name = type_names[mtype]
    add_fixed(tree, tvb, { { 2, 2, f.epoch }, { 4, 4, f.receiver_index }, { 8, 8, f.counter } })
    if len < DATA_HEADER + TAG then
        flag(tree, tvb, e_truncated, 0, len, name .. " datagram of " .. len
            .. " bytes is shorter than its 16-byte header and 16-byte tag")
        pinfo.cols.info:set(name .. " (truncated)")
        return
    end
    local payload = len - DATA_HEADER - TAG
    local epoch, receiver, counter = tvb(2, 2):uint(), tvb(4, 4):uint(), tvb(8, 8):uint64()
    local length_item
    if payload > 0 then
        tree:add(f.ciphertext, tvb(DATA_HEADER, payload))
        length_item = tree:add(f.payload_length, tvb(DATA_HEADER, payload), payload)
    else
        length_item = tree:add(f.payload_length, payload)
    end
    length_item:set_generated()
    tree:add(f.tag, tvb(len - TAG, TAG))
    if counter:rshift(EPOCH_SHIFT) ~= UInt64(epoch) then
        flag(tree, tvb, e_range, 2, 2, "epoch " .. epoch .. " is not counter >>> 22 (" ..
            counter:rshift(EPOCH_SHIFT):tonumber() .. ")")
    end
    if mtype == T_CLOSE and payload ~= 2 then
        flag(tree, tvb, e_range, DATA_HEADER, math.max(payload, 0), "a CLOSE seals a 2-byte reason, not "
            .. payload .. " bytes")
    end
    local what = name
    if mtype == T_DATA and payload == 0 then
        what = "DATA (keepalive)"
    end
    pinfo.cols.info:set(string.format("%s receiver=%s counter=%s length=%d", what, hex32(receiver),
        tostring(counter), payload))
end

-- Section 7: 24 bytes, reserved 0, receiver_index non-zero.
local function dissect_cookie_reply(tvb, pinfo, tree)
    local len = tvb:len()
    add_fixed(tree, tvb, { { 2, 2, f.reserved }, { 4, 4, f.receiver_index }, { 8, 16, f.cookie } })
    pinfo.cols.info:set("COOKIE_REPLY")
    if len < COOKIE_REPLY_LENGTH then
        flag(tree, tvb, e_truncated, 0, len, "a COOKIE_REPLY of " .. len .. " bytes; it is 24 bytes")
        return
    end
    pinfo.cols.info:set("COOKIE_REPLY receiver=" .. hex32(tvb(4, 4):uint()))
    if len > COOKIE_REPLY_LENGTH then
        flag(tree, tvb, e_trailing, COOKIE_REPLY_LENGTH, len - COOKIE_REPLY_LENGTH, "a COOKIE_REPLY of "
            .. len .. " bytes; it is 24 bytes")
    end
    if tvb(2, 2):uint() ~= 0 then
        flag(tree, tvb, e_range, 2, 2, "a COOKIE_REPLY has a non-zero reserved field")
    end
    if tvb(4, 4):uint() == 0 then
        flag(tree, tvb, e_range, 4, 4, "a COOKIE_REPLY has receiver_index 0")
    end
end

-- Section 10: code, receiver_index, detail_length 0..64, detail; the length is 9 + detail_length.
local function dissect_error(tvb, pinfo, tree)
    local len = tvb:len()
    add_fixed(tree, tvb, { { 2, 2, f.error_code }, { 4, 4, f.receiver_index }, { 8, 1, f.detail_length } })
    if len < ERROR_HEADER then
        flag(tree, tvb, e_truncated, 0, len, "a HANDSHAKE_ERROR of " .. len .. " bytes is shorter than its 9-byte header")
        pinfo.cols.info:set("HANDSHAKE_ERROR (truncated)")
        return
    end
    local code, detail_length = tvb(2, 2):uint(), tvb(8, 1):uint()
    pinfo.cols.info:set(string.format("HANDSHAKE_ERROR %s receiver=%s", error_names[code] or tostring(code),
        hex32(tvb(4, 4):uint())))
    if not error_names[code] then
        flag(tree, tvb, e_range, 2, 2, "error code " .. code .. " is not defined by version 1")
    end
    if detail_length > MAX_ERROR_DETAIL then
        flag(tree, tvb, e_range, 8, 1, "a detail of " .. detail_length .. " bytes is longer than 64")
    end
    local available = math.min(detail_length, len - ERROR_HEADER)
    if available > 0 then
        local detail = tvb(ERROR_HEADER, available)
        tree:add(f.detail, detail)
        if (code == 4 or code == 5) and available == 1 then
            tree:add(f.detail_suite, detail)
        elseif code == 6 and available == 4 then
            tree:add(f.detail_bytes_needed, detail)
        end
    end
    if len < ERROR_HEADER + detail_length then
        flag(tree, tvb, e_truncated, 0, len, "a HANDSHAKE_ERROR of " .. len .. " bytes declares a "
            .. detail_length .. "-byte detail")
    elseif len > ERROR_HEADER + detail_length then
        local extra = len - ERROR_HEADER - detail_length
        flag(tree, tvb, e_trailing, len - extra, extra, extra .. " bytes follow the HANDSHAKE_ERROR detail")
    end
end

function qgate.dissector(tvb, pinfo, tree)
    local len = tvb:len()
    pinfo.cols.protocol:set("qgate")
    local root = tree:add(qgate, tvb())
    if len >= 1 then
        root:add(f.type, tvb(0, 1))
    end
    if len < 2 then
        flag(root, tvb, e_truncated, 0, len, "a qgate datagram of " .. len
            .. " bytes is too short to hold its type and version")
        pinfo.cols.info:set("qgate (truncated)")
        return len
    end
    local mtype = tvb(0, 1):uint()
    root:add(f.version, tvb(1, 1))
    if not type_names[mtype] then
        flag(root, tvb, e_type, 0, 1, "message type " .. mtype .. " is not defined by version 1")
        pinfo.cols.info:set("qgate unknown type " .. mtype)
        return len
    end
    root:append_text(", " .. type_names[mtype])
    local version = tvb(1, 1):uint()
    if version ~= VERSION then
        flag(root, tvb, e_version, 1, 1, "protocol version " .. version .. "; this dissector decodes version 1")
        pinfo.cols.info:set(type_names[mtype] .. " of version " .. version)
        return len
    end
    if mtype == T_INITIATION or mtype == T_RESPONSE or mtype == T_CONFIRM then
        dissect_fragment(tvb, pinfo, root, mtype)
    elseif mtype == T_DATA or mtype == T_CLOSE then
        dissect_data(tvb, pinfo, root, mtype)
    elseif mtype == T_COOKIE_REPLY then
        dissect_cookie_reply(tvb, pinfo, root)
    else
        dissect_error(tvb, pinfo, root)
    end
    return len
end

-- The heuristic (off by default) claims a datagram only if its type, version and length are a
-- well-formed qgate datagram's, so that it rarely takes another protocol's packets.
local function looks_like_qgate(tvb)
    local len = tvb:len()
    if len < 2 or tvb(1, 1):uint() ~= VERSION then
        return false
    end
    local mtype = tvb(0, 1):uint()
    if mtype == T_INITIATION or mtype == T_RESPONSE or mtype == T_CONFIRM then
        if len <= FRAGMENT_HEADER or len > MAX_HANDSHAKE_DATAGRAM then
            return false
        end
        local index, count = tvb(14, 1):uint(), tvb(15, 1):uint()
        return tvb(4, 4):uint() ~= 0 and count >= 1 and count <= MAX_FRAGMENTS and index < count
            and tvb(2, 2):uint() >= len - FRAGMENT_HEADER
    elseif mtype == T_DATA or mtype == T_CLOSE then
        return len >= DATA_HEADER + TAG and tvb(8, 8):uint64():rshift(EPOCH_SHIFT) == UInt64(tvb(2, 2):uint())
    elseif mtype == T_COOKIE_REPLY then
        return len == COOKIE_REPLY_LENGTH and tvb(2, 2):uint() == 0
    elseif mtype == T_ERROR then
        return len >= ERROR_HEADER and len == ERROR_HEADER + tvb(8, 1):uint() and error_names[tvb(2, 2):uint()] ~= nil
    end
    return false
end

local function heuristic(tvb, pinfo, tree)
    if not qgate.prefs.heuristic or not looks_like_qgate(tvb) then
        return false
    end
    qgate.dissector(tvb, pinfo, tree)
    return true
end

local udp_port = DissectorTable.get("udp.port")
local registered_port = qgate.prefs.port
udp_port:add(registered_port, qgate)
udp_port:add_for_decode_as(qgate)
qgate:register_heuristic("udp", heuristic)

function qgate.prefs_changed()
    if qgate.prefs.port ~= registered_port then
        if registered_port ~= 0 then
            udp_port:remove(registered_port, qgate)
        end
        registered_port = qgate.prefs.port
        if registered_port ~= 0 then
            udp_port:add(registered_port, qgate)
        end
    end
end
