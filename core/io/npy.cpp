#include "npy.hpp"

#include "atomic_file.hpp"
#include "byte_source.hpp"
#include "checked_arithmetic.hpp"

#include <zip.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <memory>
#include <set>

namespace cs {
namespace {

// ---------------------------------------------------------------------------
// dtypes

struct DtypeInfo {
    const char* code; // "f4"
    std::size_t size;
};

constexpr DtypeInfo dtypes[] = {
    {"f4", 4}, {"f8", 8}, {"u1", 1}, {"i1", 1}, {"i2", 2}, {"i4", 4},
    {"i8", 8}, {"u2", 2}, {"u4", 4}, {"u8", 8}, {"b1", 1},
};

std::size_t dtype_size(const std::string& code)
{
    for (const auto& d : dtypes)
        if (code == d.code) return d.size;
    return 0;
}

// '<f4' -> "f4"; big-endian multi-byte types and anything unknown -> error.
std::string parse_descr(const std::string& descr, const std::string& name)
{
    if (descr.size() < 2) fail(name, "unsupported dtype '" + descr + "'");
    const char order = descr[0];
    std::string code = descr.substr(1);
    if (order != '<' && order != '|' && order != '>' && order != '=')
        fail(name, "unsupported dtype '" + descr + "'");
    const std::size_t size = dtype_size(code);
    if (size == 0) fail(name, "unsupported dtype '" + descr + "' (read: f4, f8, u1, i1, i2, i4, i8, u2, u4, u8, b1)");
    if (order == '>' && size > 1) fail(name, "unsupported dtype '" + descr + "': big-endian data is not read");
    return code;
}

template <typename T>
constexpr const char* dtype_of()
{
    if constexpr (std::is_same_v<T, float>) return "f4";
    else if constexpr (std::is_same_v<T, double>) return "f8";
    else if constexpr (std::is_same_v<T, std::uint8_t>) return "u1";
    else if constexpr (std::is_same_v<T, std::int8_t>) return "i1";
    else if constexpr (std::is_same_v<T, std::int16_t>) return "i2";
    else if constexpr (std::is_same_v<T, std::int32_t>) return "i4";
    else if constexpr (std::is_same_v<T, std::int64_t>) return "i8";
    else if constexpr (std::is_same_v<T, std::uint16_t>) return "u2";
    else if constexpr (std::is_same_v<T, std::uint32_t>) return "u4";
    else if constexpr (std::is_same_v<T, std::uint64_t>) return "u8";
    else return nullptr;
}

template <typename T>
T load(const std::byte* p)
{
    T v;
    std::memcpy(&v, p, sizeof v);
    return v;
}

// Calls f(index, value as Out) for every item, whatever the dtype.
template <typename Out, typename F>
void for_each_value(const NpyArray& a, F&& f)
{
    const std::byte* p = a.data.data();
    const std::size_t n = a.items();
    auto run = [&](auto tag) {
        using T = decltype(tag);
        for (std::size_t i = 0; i < n; ++i) f(i, static_cast<Out>(load<T>(p + i * sizeof(T))));
    };
    const std::string& d = a.dtype;
    if (d == "f4") run(float{});
    else if (d == "f8") run(double{});
    else if (d == "u1") run(std::uint8_t{});
    else if (d == "i1") run(std::int8_t{});
    else if (d == "i2") run(std::int16_t{});
    else if (d == "i4") run(std::int32_t{});
    else if (d == "i8") run(std::int64_t{});
    else if (d == "u2") run(std::uint16_t{});
    else if (d == "u4") run(std::uint32_t{});
    else if (d == "u8") run(std::uint64_t{});
    else if (d == "b1") {
        for (std::size_t i = 0; i < n; ++i) f(i, static_cast<Out>(load<std::uint8_t>(p + i) != 0));
    } else
        fail(a.name, "unsupported dtype '" + d + "'");
}

void check_consistent(const NpyArray& a)
{
    const std::size_t size = a.item_size();
    if (size == 0) fail(a.name, "unsupported dtype '" + a.dtype + "'");
    std::size_t needed = 0;
    if (!multiply_fits(a.items(), size, needed) || a.data.size() != needed)
        fail(a.name, "shape " + a.shape.str() + " of " + a.dtype + " does not match the " +
                         std::to_string(a.data.size()) + " bytes the array holds");
}

// ---------------------------------------------------------------------------
// The header: a Python dict literal.

struct PyValue {
    enum Kind { String, Bool, None, Int, Tuple, Other } kind = Other;
    std::string text;
    bool flag = false;
    std::uint64_t number = 0;
    bool overflow = false;
    std::vector<PyValue> items;
};

class DictParser {
public:
    DictParser(const std::string& text, const std::string& name) : s_(text), name_(name) {}

    std::map<std::string, PyValue> parse()
    {
        std::map<std::string, PyValue> dict;
        skip_ws();
        expect('{');
        for (;;) {
            skip_ws();
            if (peek() == '}') {
                ++pos_;
                break;
            }
            PyValue key = value(0);
            if (key.kind != PyValue::String) bad("a dict key is not a string");
            skip_ws();
            expect(':');
            dict[key.text] = value(0);
            skip_ws();
            if (peek() == ',') {
                ++pos_;
                continue;
            }
            if (peek() == '}') {
                ++pos_;
                break;
            }
            bad("expected ',' or '}'");
        }
        skip_ws();
        if (pos_ != s_.size()) bad("text after the closing '}'");
        return dict;
    }

private:
    char peek() const { return pos_ < s_.size() ? s_[pos_] : '\0'; }
    void skip_ws()
    {
        while (pos_ < s_.size() && (s_[pos_] == ' ' || s_[pos_] == '\t' || s_[pos_] == '\n' || s_[pos_] == '\r'))
            ++pos_;
    }
    void expect(char c)
    {
        if (peek() != c) bad(std::string("expected '") + c + "'");
        ++pos_;
    }
    [[noreturn]] void bad(const std::string& what) const
    {
        std::string shown = s_.substr(0, 120);
        for (char& c : shown)
            if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x7f) c = '?';
        fail(name_, "unparseable .npy header (" + what + " at character " + std::to_string(pos_) + "): " + shown);
    }

    PyValue value(int depth)
    {
        if (depth > 16) bad("nesting too deep");
        skip_ws();
        PyValue v;
        const char c = peek();
        if (c == '\'' || c == '"') {
            ++pos_;
            v.kind = PyValue::String;
            while (pos_ < s_.size() && s_[pos_] != c) {
                if (s_[pos_] == '\\') ++pos_;
                if (pos_ < s_.size()) v.text += s_[pos_++];
            }
            expect(c);
        } else if (c == '(' || c == '[') {
            const char close = c == '(' ? ')' : ']';
            ++pos_;
            v.kind = c == '(' ? PyValue::Tuple : PyValue::Other;
            for (;;) {
                skip_ws();
                if (peek() == close) {
                    ++pos_;
                    break;
                }
                v.items.push_back(value(depth + 1));
                skip_ws();
                if (peek() == ',') ++pos_;
                else if (peek() != close) bad(std::string("expected ',' or '") + close + "'");
            }
        } else if (c >= '0' && c <= '9') {
            v.kind = PyValue::Int;
            while (pos_ < s_.size() && s_[pos_] >= '0' && s_[pos_] <= '9') {
                const unsigned digit = unsigned(s_[pos_++] - '0');
                if (v.number > (UINT64_MAX - digit) / 10) v.overflow = true;
                else v.number = v.number * 10 + digit;
            }
            if (peek() == 'L') ++pos_; // Python 2 long
        } else if (s_.compare(pos_, 4, "True") == 0) {
            v.kind = PyValue::Bool;
            v.flag = true;
            pos_ += 4;
        } else if (s_.compare(pos_, 5, "False") == 0) {
            v.kind = PyValue::Bool;
            pos_ += 5;
        } else if (s_.compare(pos_, 4, "None") == 0) {
            v.kind = PyValue::None;
            pos_ += 4;
        } else {
            bad("unexpected character");
        }
        return v;
    }

    const std::string& s_;
    const std::string& name_;
    std::size_t pos_ = 0;
};

Shape make_shape(const std::vector<std::size_t>& dims)
{
    switch (dims.size()) {
    case 0: return Shape{};
    case 1: return Shape{dims[0]};
    case 2: return Shape{dims[0], dims[1]};
    case 3: return Shape{dims[0], dims[1], dims[2]};
    default: return Shape{dims[0], dims[1], dims[2], dims[3]};
    }
}

// The bytes still to come in `src` as its size says (a file's, a buffer's,
// a zip entry's): a .npy is never read from a stream of unknown length.
std::uint64_t declared_bytes_left(const ByteSource& src)
{
    const BytesLeft left = src.bytes_left();
    if (left.knowledge == BytesLeft::unknown) fail(src.name(), "a .npy must come with its length");
    return left.count;
}

// The preamble and header of a .npy: the array's name, dtype and shape, its
// data not yet read (a.data empty). The shape is checked against the limit
// and against the bytes that follow, so that the data can be read next.
NpyArray parse_npy_header(ByteSource& src)
{
    const std::string& name = src.name();
    const auto remaining = [&] { return declared_bytes_left(src); };
    static constexpr char magic[] = "\x93NUMPY";
    unsigned char pre[8];
    if (remaining() < 10) fail(name, "too short to be a .npy file (" + std::to_string(remaining()) + " bytes)");
    src.read_exact(pre, 8);
    if (std::memcmp(pre, magic, 6) != 0) fail(name, "bad magic, not a .npy file (expected \\x93NUMPY)");
    const unsigned major = pre[6], minor = pre[7];
    std::uint64_t header_len = 0;
    if (major == 1) {
        unsigned char len[2];
        src.read_exact(len, 2);
        header_len = len[0] | (std::uint64_t(len[1]) << 8);
    } else if (major == 2 || major == 3) {
        unsigned char len[4];
        if (remaining() < 4) fail(name, "truncated .npy preamble");
        src.read_exact(len, 4);
        header_len = len[0] | (std::uint64_t(len[1]) << 8) | (std::uint64_t(len[2]) << 16) | (std::uint64_t(len[3]) << 24);
    } else {
        fail(name, "unsupported .npy format version " + std::to_string(major) + "." + std::to_string(minor));
    }
    if (header_len > remaining())
        fail(name, "header length " + std::to_string(header_len) + " runs past the end of the file (" +
                       std::to_string(remaining()) + " bytes left)");
    if (header_len > (std::uint64_t(1) << 24)) fail(name, "absurd header length " + std::to_string(header_len));
    std::string header(std::size_t(header_len), '\0');
    src.read_exact(header.data(), header.size());

    const auto dict = DictParser(header, name).parse();
    auto field = [&](const char* key) -> const PyValue& {
        auto it = dict.find(key);
        if (it == dict.end()) fail(name, std::string("the .npy header has no '") + key + "'");
        return it->second;
    };
    const PyValue& descr = field("descr");
    const PyValue& fortran = field("fortran_order");
    const PyValue& shape = field("shape");
    if (descr.kind != PyValue::String) fail(name, "unsupported dtype: structured arrays are not read");
    if (fortran.kind != PyValue::Bool) fail(name, "unparseable .npy header: 'fortran_order' is not True or False");
    if (shape.kind != PyValue::Tuple) fail(name, "unparseable .npy header: 'shape' is not a tuple");

    NpyArray a;
    a.name = name;
    a.dtype = parse_descr(descr.text, name);
    if (fortran.flag) fail(name, "fortran_order True is not supported (save a C-ordered array)");
    if (shape.items.size() > Shape::max_rank)
        fail(name, "rank " + std::to_string(shape.items.size()) + " is not supported (at most 4 dimensions)");

    std::vector<std::size_t> dims;
    for (const PyValue& d : shape.items) {
        if (d.kind != PyValue::Int) fail(name, "unparseable .npy header: a dimension is not an integer");
        if (d.overflow) fail(name, "a dimension of the shape overflows 64 bits");
        dims.push_back(std::size_t(d.number));
    }
    std::string shape_text = "(";
    for (std::size_t i = 0; i < dims.size(); ++i) shape_text += (i ? ", " : "") + std::to_string(dims[i]);
    shape_text += dims.size() == 1 ? ",)" : ")";
    // A zero anywhere makes an empty array, however large the other
    // dimensions; otherwise the product must fit, and fit the limit.
    std::size_t bytes = 0;
    if (std::find(dims.begin(), dims.end(), std::size_t(0)) == dims.end()) {
        bytes = a.item_size();
        for (std::size_t d : dims)
            if (!multiply_fits(bytes, d, bytes) || bytes > npy_max_bytes)
                fail(name, "shape " + shape_text + " of " + a.dtype +
                               " is absurd (more than 2^34 bytes); refusing to allocate");
    }
    a.shape = make_shape(dims);
    if (bytes > remaining())
        fail(name, "data truncated: shape " + shape_text + " of " + a.dtype + " needs " + std::to_string(bytes) +
                       " bytes, only " + std::to_string(remaining()) + " follow the header");
    if (bytes < remaining())
        fail(name, std::to_string(remaining() - bytes) + " bytes after the data of shape " + shape_text +
                       " (a shape that does not match the data)");
    return a;
}

// The data that follow a parsed header, to the source's last byte.
void read_npy_data(ByteSource& src, NpyArray& a)
{
    const std::uint64_t expected = declared_bytes_left(src);
    if (read_up_to(src, a.data, expected) < expected)
        fail(src.name(), "data truncated: " + std::to_string(expected) + " bytes were announced, " +
                             std::to_string(a.data.size()) + " came");
    if (!src.ends_here())
        fail(src.name(), "more data than the " + std::to_string(expected) + " bytes that were announced");
}

NpyArray parse_npy(ByteSource& src)
{
    NpyArray a = parse_npy_header(src);
    read_npy_data(src, a);
    return a;
}

std::string descr_of(const NpyArray& a)
{
    return (a.item_size() == 1 ? "|" : "<") + a.dtype;
}

template <typename T>
NpyArray tensor_to_npy(const Tensor<T>& t)
{
    NpyArray a;
    a.dtype = dtype_of<T>();
    a.shape = t.rank() == 0 ? Shape{0} : t.shape();
    a.data.resize(t.size() * sizeof(T));
    if (t.size()) std::memcpy(a.data.data(), t.data(), a.data.size());
    return a;
}

template <typename T>
Tensor<T> npy_to_tensor(const NpyArray& a)
{
    check_consistent(a);
    arma::Col<T> values(a.items());
    for_each_value<T>(a, [&](std::size_t i, T v) { values[i] = v; });
    return Tensor<T>(a.shape.rank() == 0 ? Shape{1} : a.shape, std::move(values));
}

} // namespace

// ---------------------------------------------------------------------------

std::size_t NpyArray::items() const
{
    if (shape.rank() == 0) return 1;
    return shape.elements();
}

std::size_t NpyArray::item_size() const { return dtype_size(dtype); }

template <typename T>
std::span<const T> NpyArray::values() const
{
    const char* want = dtype_of<T>();
    if (dtype != want) fail(name, std::string("dtype is ") + dtype + ", not " + want);
    check_consistent(*this);
    return {reinterpret_cast<const T*>(data.data()), items()};
}

template std::span<const float> NpyArray::values<float>() const;
template std::span<const double> NpyArray::values<double>() const;
template std::span<const std::uint8_t> NpyArray::values<std::uint8_t>() const;
template std::span<const std::int8_t> NpyArray::values<std::int8_t>() const;
template std::span<const std::int16_t> NpyArray::values<std::int16_t>() const;
template std::span<const std::int32_t> NpyArray::values<std::int32_t>() const;
template std::span<const std::int64_t> NpyArray::values<std::int64_t>() const;
template std::span<const std::uint16_t> NpyArray::values<std::uint16_t>() const;
template std::span<const std::uint32_t> NpyArray::values<std::uint32_t>() const;
template std::span<const std::uint64_t> NpyArray::values<std::uint64_t>() const;

NpyArray read_npy(const std::filesystem::path& path)
{
    const std::string name = path.string();
    return out_of_memory_as_format_error(name, [&] {
        const auto src = open_file_source(path, "a .npy file");
        return parse_npy(*src);
    });
}

std::vector<std::byte> npy_bytes(const NpyArray& a)
{
    check_consistent(a);
    std::string dict = "{'descr': '" + descr_of(a) + "', 'fortran_order': False, 'shape': (";
    for (std::size_t i = 0; i < a.shape.rank(); ++i) dict += (i ? ", " : "") + std::to_string(a.shape[i]);
    dict += a.shape.rank() == 1 ? ",), }" : "), }";
    // Pad the preamble (magic, version, length, dict, '\n') to a multiple of 64.
    std::size_t preamble = 10;
    std::size_t total = preamble + dict.size() + 1;
    if ((total + 63) / 64 * 64 - preamble > 0xffff) preamble = 12;
    total = (preamble + dict.size() + 1 + 63) / 64 * 64;
    const std::size_t header_len = total - preamble;
    dict.append(header_len - dict.size() - 1, ' ');
    dict += '\n';

    std::vector<std::byte> out;
    out.reserve(total + a.data.size());
    auto put = [&](unsigned char c) { out.push_back(std::byte(c)); };
    for (char c : std::string("\x93NUMPY")) put(static_cast<unsigned char>(c));
    put(preamble == 10 ? 1 : 2);
    put(0);
    for (std::size_t i = 0; i < preamble - 8; ++i) put(static_cast<unsigned char>(header_len >> (8 * i)));
    for (char c : dict) put(static_cast<unsigned char>(c));
    out.insert(out.end(), a.data.begin(), a.data.end());
    return out;
}

void write_npy(const std::filesystem::path& path, const NpyArray& array)
{
    write_file_atomically(path, npy_bytes(array));
}

void write_npy(const std::filesystem::path& path, const Tensor<float>& tensor) { write_npy(path, to_npy(tensor)); }
void write_npy(const std::filesystem::path& path, const Tensor<double>& tensor) { write_npy(path, to_npy(tensor)); }

namespace {

// The members of an .npz that `filter` (if any) keeps.
std::map<std::string, NpyArray> read_npz_members(const ZipArchive& archive, const NpzMemberFilter& filter)
{
    std::map<std::string, NpyArray> arrays;
    for (std::size_t i = 0; i < archive.member_count(); ++i) {
        const std::string member = archive.member_name(i);
        if (!member.empty() && member.back() == '/') continue; // a folder
        std::string key = member;
        if (key.size() > 4 && key.compare(key.size() - 4, 4, ".npy") == 0) key.resize(key.size() - 4);
        const auto src = archive.member(i);
        NpyArray a = parse_npy_header(*src);
        if (filter && !filter(key, a)) continue; // its data are never read
        read_npy_data(*src, a);
        if (!arrays.emplace(key, std::move(a)).second) fail(archive.name(), "two members are named '" + key + "'");
    }
    return arrays;
}

// The .npz file image of `arrays`, built in memory by libzip.
std::vector<std::byte> npz_bytes(const std::string& name, const std::vector<std::pair<std::string, NpyArray>>& arrays,
                                 bool compress, const std::set<std::string>& stored)
{
    if (arrays.empty()) fail(name, "an .npz needs at least one array");
    zip_error_t error;
    zip_error_init(&error);
    zip_source_t* image = zip_source_buffer_create(nullptr, 0, 0, &error);
    zip_error_fini(&error);
    if (!image) throw std::bad_alloc();
    // The archive writes into `image`; keep it alive after zip_close to read it.
    zip_source_keep(image);
    const std::unique_ptr<zip_source_t, void (*)(zip_source_t*)> image_guard(image, zip_source_free);
    zip_t* archive = zip_open_from_source(image, ZIP_TRUNCATE, nullptr);
    if (!archive) throw std::bad_alloc();
    // libzip reads the members' buffers when the archive is closed: keep them alive.
    std::vector<std::vector<std::byte>> buffers;
    buffers.reserve(arrays.size());
    std::set<std::string> names;
    try {
        for (const auto& [key, array] : arrays) {
            std::string member = key;
            if (member.size() < 4 || member.compare(member.size() - 4, 4, ".npy") != 0) member += ".npy";
            if (!names.insert(member).second) fail(name, "two arrays are named '" + member + "'");
            buffers.push_back(npy_bytes(array));
            zip_source_t* src = zip_source_buffer(archive, buffers.back().data(), buffers.back().size(), 0);
            if (!src) fail(name, std::string("libzip: ") + zip_strerror(archive));
            const zip_int64_t index = zip_file_add(archive, member.c_str(), src, ZIP_FL_ENC_UTF_8);
            if (index < 0) {
                zip_source_free(src);
                fail(name, "cannot add " + member + ": " + zip_strerror(archive));
            }
            if (zip_set_file_compression(archive, zip_uint64_t(index), compress && !stored.count(key) ? ZIP_CM_DEFLATE : ZIP_CM_STORE, 0) != 0)
                fail(name, "cannot set compression of " + member + ": " + zip_strerror(archive));
        }
    } catch (...) {
        zip_discard(archive);
        throw;
    }
    if (zip_close(archive) != 0) {
        const std::string why = zip_strerror(archive);
        zip_discard(archive);
        fail(name, "cannot build the .npz: " + why);
    }
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_source_stat(image, &st) != 0 || !(st.valid & ZIP_STAT_SIZE) || zip_source_open(image) != 0)
        fail(name, std::string("cannot read the built .npz back: ") + zip_error_strerror(zip_source_error(image)));
    std::vector<std::byte> out(st.size);
    const zip_int64_t got = zip_source_read(image, out.data(), out.size());
    zip_source_close(image);
    if (got != zip_int64_t(out.size())) fail(name, "cannot read the built .npz back");
    return out;
}

} // namespace

std::map<std::string, NpyArray> read_npz(const std::filesystem::path& path, const NpzMemberFilter& filter)
{
    const std::string name = path.string();
    return out_of_memory_as_format_error(name, [&] { return read_npz_members(ZipArchive::open_file(path), filter); });
}

std::map<std::string, NpyArray> read_npz_bytes(std::span<const std::byte> bytes, const std::string& name,
                                               const NpzMemberFilter& filter)
{
    return out_of_memory_as_format_error(
        name, [&] { return read_npz_members(ZipArchive::open_memory(bytes, name), filter); });
}

void write_npz(const std::filesystem::path& path, const std::vector<std::pair<std::string, NpyArray>>& arrays,
               bool compress, const std::set<std::string>& stored)
{
    write_file_atomically(path, npz_bytes(path.string(), arrays, compress, stored));
}

NpyArray to_npy(const Tensor<float>& tensor) { return tensor_to_npy(tensor); }
NpyArray to_npy(const Tensor<double>& tensor) { return tensor_to_npy(tensor); }

NpyArray to_npy(const Shape& shape, std::span<const std::uint8_t> values)
{
    NpyArray a;
    a.dtype = "u1";
    a.shape = shape;
    a.data.resize(values.size());
    if (!values.empty()) std::memcpy(a.data.data(), values.data(), values.size());
    check_consistent(a);
    return a;
}

NpyArray to_npy(std::span<const std::int64_t> values)
{
    NpyArray a;
    a.dtype = "i8";
    a.shape = Shape{values.size()};
    a.data.resize(values.size() * sizeof(std::int64_t));
    if (!values.empty()) std::memcpy(a.data.data(), values.data(), a.data.size());
    return a;
}

Tensor<float> to_float_tensor(const NpyArray& array) { return npy_to_tensor<float>(array); }
Tensor<double> to_double_tensor(const NpyArray& array) { return npy_to_tensor<double>(array); }

std::vector<std::int64_t> to_labels(const NpyArray& a)
{
    check_consistent(a);
    const bool floating = a.dtype[0] == 'f';
    if (a.shape.rank() == 1) {
        std::vector<std::int64_t> labels(a.items());
        if (a.dtype == "u8") {
            for_each_value<std::uint64_t>(a, [&](std::size_t i, std::uint64_t v) {
                if (v > std::uint64_t(INT64_MAX)) fail(a.name, "label " + std::to_string(v) + " is out of range");
                labels[i] = std::int64_t(v);
            });
        } else if (floating) {
            for_each_value<double>(a, [&](std::size_t i, double v) {
                const auto label = whole_number_as<std::int64_t>(v);
                if (!label)
                    fail(a.name, "label " + std::to_string(v) + " at index " + std::to_string(i) +
                                     " is not a whole number");
                labels[i] = *label;
            });
        } else {
            for_each_value<std::int64_t>(a, [&](std::size_t i, std::int64_t v) { labels[i] = v; });
        }
        return labels;
    }
    if (a.shape.rank() == 2) {
        const std::size_t n = a.shape[0], k = a.shape[1];
        if (k == 0) fail(a.name, "one-hot labels of shape " + a.shape.str() + " have no classes");
        std::vector<double> values(a.items());
        for_each_value<double>(a, [&](std::size_t i, double v) { values[i] = v; });
        std::vector<std::int64_t> labels(n);
        for (std::size_t r = 0; r < n; ++r) {
            const double* row = values.data() + r * k;
            std::size_t best = 0;
            for (std::size_t j = 1; j < k; ++j)
                if (row[j] > row[best]) best = j; // the first maximum, as numpy.argmax
            labels[r] = std::int64_t(best);
        }
        return labels;
    }
    fail(a.name, "labels must have shape (n,) or one-hot (n, k), not " + a.shape.str());
}

} // namespace cs
