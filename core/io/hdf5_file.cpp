#include "hdf5_file.hpp"

#include "checked_arithmetic.hpp"
#include "errors.hpp"

#include <hdf5.h>
#include <hdf5_hl.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <fstream>

namespace cs {
namespace {

// An HDF5 identifier closed by its own close function when it goes.
class Id {
public:
    Id(hid_t id, herr_t (*close)(hid_t)) : id_(id), close_(close) {}
    ~Id()
    {
        if (id_ >= 0) close_(id_);
    }
    Id(const Id&) = delete;
    Id& operator=(const Id&) = delete;
    hid_t get() const { return id_; }
    bool ok() const { return id_ >= 0; }

private:
    hid_t id_;
    herr_t (*close_)(hid_t);
};

// libhdf5 prints its error stack to stderr unless told not to; the reader
// reports the innermost description in its own message instead. The
// setting is per thread in a thread-safe libhdf5, so it is made before
// every call that may fail.
void silence_hdf5() { H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr); }

// The most specific thing libhdf5 said about the last failure, or "".
std::string hdf5_reason()
{
    std::string reason;
    H5Ewalk2(
        H5E_DEFAULT, H5E_WALK_UPWARD,
        [](unsigned, const H5E_error2_t* e, void* out) -> herr_t {
            auto& r = *static_cast<std::string*>(out);
            if (r.empty() && e->desc && *e->desc) r = e->desc;
            return 0;
        },
        &reason);
    H5Eclear2(H5E_DEFAULT);
    return reason;
}

std::string with_reason(const std::string& problem)
{
    const std::string reason = hdf5_reason();
    return reason.empty() ? problem : problem + " (libhdf5: " + reason + ")";
}

// A text of `bytes` bytes with its padding (NULs or spaces) cut off.
std::string trimmed(const char* p, std::size_t bytes, H5T_str_t pad)
{
    std::size_t n = std::find(p, p + bytes, '\0') - p;
    if (pad == H5T_STR_SPACEPAD)
        while (n > 0 && p[n - 1] == ' ') --n;
    return std::string(p, n);
}

} // namespace

bool has_hdf5_signature(std::span<const std::byte> first_bytes)
{
    static constexpr unsigned char signature[8] = {0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};
    return first_bytes.size() >= 8 && std::memcmp(first_bytes.data(), signature, 8) == 0;
}

Hdf5File::Hdf5File(std::int64_t file, std::string name) : file_(file), name_(std::move(name)) {}

Hdf5File::Hdf5File(Hdf5File&& other) noexcept : file_(other.file_), name_(std::move(other.name_))
{
    other.file_ = -1;
}

Hdf5File::~Hdf5File()
{
    if (file_ >= 0) H5Fclose(file_);
}

Hdf5File Hdf5File::open(const std::filesystem::path& path)
{
    const std::string name = path.string();
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) fail(name, "is a folder, not a file");
    std::ifstream in(path, std::ios::binary);
    if (!in) fail(name, "cannot be opened (missing or unreadable)");
    char head[8] = {};
    in.read(head, 8);
    if (!has_hdf5_signature(std::as_bytes(std::span(head, std::size_t(in.gcount())))))
        fail(name, "is not an HDF5 file (it does not start with HDF5's signature)");
    silence_hdf5();
    const hid_t file = H5Fopen(name.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
    if (file < 0) fail(name, with_reason("libhdf5 cannot open it"));
    return Hdf5File(file, name);
}

Hdf5File Hdf5File::open_image(std::span<const std::byte> bytes, const std::string& name)
{
    if (!has_hdf5_signature(bytes)) fail(name, "is not an HDF5 file (it does not start with HDF5's signature)");
    silence_hdf5();
    // The core (in-memory) driver given the image, as H5LTopen_file_image
    // does it, but without H5LT: libhdf5 1.10's H5LTopen_file_image leaks
    // its callbacks' state at every call (LeakSanitizer sees 72 bytes). The
    // image is copied into libhdf5 and read from there.
    const Id fapl(H5Pcreate(H5P_FILE_ACCESS), H5Pclose);
    if (!fapl.ok() || H5Pset_fapl_core(fapl.get(), std::size_t(1) << 16, false) < 0 ||
        H5Pset_file_image(fapl.get(), const_cast<std::byte*>(bytes.data()), bytes.size()) < 0)
        fail(name, with_reason("libhdf5 cannot take it in memory"));
    // A name of its own for each image: libhdf5 keeps one file open per name.
    static std::atomic<std::uint64_t> images{0};
    const std::string image_name = "convscope-image-" + std::to_string(++images);
    const hid_t file = H5Fopen(image_name.c_str(), H5F_ACC_RDONLY, fapl.get());
    if (file < 0) fail(name, with_reason("libhdf5 cannot open it"));
    return Hdf5File(file, name);
}

void Hdf5File::fail_at(const std::string& object, const std::string& problem) const
{
    fail(name_, "'" + object + "': " + problem);
}

bool Hdf5File::has_group(const std::string& path) const
{
    silence_hdf5();
    if (path == "/") return true;
    if (H5LTpath_valid(file_, path.c_str(), true) <= 0) return H5Eclear2(H5E_DEFAULT), false;
    H5O_info_t info;
    if (H5Oget_info_by_name(file_, path.c_str(), &info, H5P_DEFAULT) < 0) return H5Eclear2(H5E_DEFAULT), false;
    return info.type == H5O_TYPE_GROUP;
}

bool Hdf5File::has_dataset(const std::string& path) const
{
    silence_hdf5();
    if (H5LTpath_valid(file_, path.c_str(), true) <= 0) return H5Eclear2(H5E_DEFAULT), false;
    H5O_info_t info;
    if (H5Oget_info_by_name(file_, path.c_str(), &info, H5P_DEFAULT) < 0) return H5Eclear2(H5E_DEFAULT), false;
    return info.type == H5O_TYPE_DATASET;
}

bool Hdf5File::has_attribute(const std::string& object, const std::string& attribute) const
{
    silence_hdf5();
    if (object != "/" && H5LTpath_valid(file_, object.c_str(), true) <= 0) return H5Eclear2(H5E_DEFAULT), false;
    const htri_t exists = H5Aexists_by_name(file_, object.c_str(), attribute.c_str(), H5P_DEFAULT);
    H5Eclear2(H5E_DEFAULT);
    return exists > 0;
}

std::vector<std::string> Hdf5File::members(const std::string& group) const
{
    silence_hdf5();
    const Id g(H5Gopen2(file_, group.c_str(), H5P_DEFAULT), H5Gclose);
    if (!g.ok()) fail_at(group, with_reason("not a group"));
    H5G_info_t info;
    if (H5Gget_info(g.get(), &info) < 0) fail_at(group, with_reason("unreadable group"));
    std::vector<std::string> names;
    for (hsize_t i = 0; i < info.nlinks; ++i) {
        const ssize_t n = H5Lget_name_by_idx(g.get(), ".", H5_INDEX_NAME, H5_ITER_INC, i, nullptr, 0, H5P_DEFAULT);
        if (n < 0 || std::size_t(n) > hdf5_max_text_bytes) fail_at(group, with_reason("an unreadable member name"));
        std::string name(std::size_t(n) + 1, '\0');
        if (H5Lget_name_by_idx(g.get(), ".", H5_INDEX_NAME, H5_ITER_INC, i, name.data(), name.size(), H5P_DEFAULT) < 0)
            fail_at(group, with_reason("an unreadable member name"));
        name.resize(std::size_t(n));
        names.push_back(std::move(name));
    }
    return names;
}

std::vector<std::string> Hdf5File::attribute_texts(const std::string& object, const std::string& attribute) const
{
    silence_hdf5();
    const std::string what = object + "' attribute '" + attribute;
    const Id a(H5Aopen_by_name(file_, object.c_str(), attribute.c_str(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose);
    if (!a.ok()) fail_at(what, with_reason("cannot be opened"));
    const Id type(H5Aget_type(a.get()), H5Tclose);
    const Id space(H5Aget_space(a.get()), H5Sclose);
    if (!type.ok() || !space.ok()) fail_at(what, with_reason("unreadable type or size"));
    const hssize_t points = H5Sget_simple_extent_npoints(space.get());
    if (points < 0) fail_at(what, with_reason("unreadable size"));
    const std::size_t n = std::size_t(points);
    const H5T_class_t cls = H5Tget_class(type.get());
    // Keras writes an empty list as an empty float64 array.
    if (cls != H5T_STRING) {
        if (n == 0 && (cls == H5T_FLOAT || cls == H5T_INTEGER)) return {};
        fail_at(what, "is not text");
    }
    const H5T_cset_t cset = H5Tget_cset(type.get());
    const htri_t variable = H5Tis_variable_str(type.get());
    if (variable < 0) fail_at(what, with_reason("unreadable string type"));
    std::vector<std::string> out;
    if (variable) {
        if (n > hdf5_max_text_bytes / sizeof(char*)) fail_at(what, "more texts than any Keras file holds");
        const Id mem(H5Tcopy(H5T_C_S1), H5Tclose);
        H5Tset_size(mem.get(), H5T_VARIABLE);
        H5Tset_cset(mem.get(), cset);
        std::vector<char*> texts(n, nullptr);
        if (H5Aread(a.get(), mem.get(), texts.data()) < 0) fail_at(what, with_reason("cannot be read"));
        std::size_t total = 0;
        bool too_long = false;
        for (char* t : texts) {
            const std::size_t len = t ? std::strlen(t) : 0;
            total += len;
            if (total > hdf5_max_text_bytes) too_long = true;
            if (!too_long) out.emplace_back(t ? t : "", len);
        }
        H5Dvlen_reclaim(mem.get(), space.get(), H5P_DEFAULT, texts.data());
        if (too_long)
            fail_at(what, "holds more than " + std::to_string(hdf5_max_text_bytes) + " bytes of text");
        return out;
    }
    const std::size_t size = H5Tget_size(type.get());
    std::size_t bytes = 0;
    if (size == 0 || !multiply_fits(n, size, bytes) || bytes > hdf5_max_text_bytes)
        fail_at(what, "is a text of " + std::to_string(n) + " x " + std::to_string(size) +
                          " bytes, more than any Keras file holds");
    std::vector<char> buffer(bytes);
    if (H5Aread(a.get(), type.get(), buffer.data()) < 0) fail_at(what, with_reason("cannot be read"));
    const H5T_str_t pad = H5Tget_strpad(type.get());
    for (std::size_t i = 0; i < n; ++i) out.push_back(trimmed(buffer.data() + i * size, size, pad));
    return out;
}

std::string Hdf5File::text(const std::string& object, const std::string& attribute) const
{
    std::vector<std::string> t = attribute_texts(object, attribute);
    if (t.size() != 1)
        fail_at(object + "' attribute '" + attribute, "holds " + std::to_string(t.size()) + " texts, not one");
    return std::move(t[0]);
}

std::vector<std::string> Hdf5File::text_list(const std::string& object, const std::string& attribute) const
{
    if (has_attribute(object, attribute)) return attribute_texts(object, attribute);
    if (!has_attribute(object, attribute + "0")) fail_at(object, "no attribute '" + attribute + "'");
    std::vector<std::string> all;
    for (std::size_t part = 0; has_attribute(object, attribute + std::to_string(part)); ++part) {
        for (std::string& t : attribute_texts(object, attribute + std::to_string(part))) {
            all.push_back(std::move(t));
            if (all.size() > hdf5_max_text_bytes / 16) fail_at(object, "'" + attribute + "' lists too many names");
        }
    }
    return all;
}

Shape Hdf5File::dataset_shape(const std::string& path) const
{
    silence_hdf5();
    const Id d(H5Dopen2(file_, path.c_str(), H5P_DEFAULT), H5Dclose);
    if (!d.ok()) fail_at(path, with_reason("no such dataset"));
    const Id space(H5Dget_space(d.get()), H5Sclose);
    const int rank = space.ok() ? H5Sget_simple_extent_ndims(space.get()) : -1;
    if (rank < 0) fail_at(path, with_reason("unreadable shape"));
    if (std::size_t(rank) > Shape::max_rank)
        fail_at(path, "has " + std::to_string(rank) + " dimensions; a weight has at most " +
                          std::to_string(Shape::max_rank));
    hsize_t dims[Shape::max_rank] = {};
    H5Sget_simple_extent_dims(space.get(), dims, nullptr);
    Shape s;
    switch (rank) {
    case 0: s = Shape{}; break;
    case 1: s = Shape{std::size_t(dims[0])}; break;
    case 2: s = Shape{std::size_t(dims[0]), std::size_t(dims[1])}; break;
    case 3: s = Shape{std::size_t(dims[0]), std::size_t(dims[1]), std::size_t(dims[2])}; break;
    default: s = Shape{std::size_t(dims[0]), std::size_t(dims[1]), std::size_t(dims[2]), std::size_t(dims[3])};
    }
    return s;
}

Tensor<float> Hdf5File::floats(const std::string& path, const Shape& shape) const
{
    const Shape stored = dataset_shape(path);
    if (!(stored == shape)) fail_at(path, "has shape " + stored.str() + " but the model needs " + shape.str());
    silence_hdf5();
    const Id d(H5Dopen2(file_, path.c_str(), H5P_DEFAULT), H5Dclose);
    const Id type(H5Dget_type(d.get()), H5Tclose);
    if (!d.ok() || !type.ok()) fail_at(path, with_reason("unreadable dataset"));
    if (H5Tget_class(type.get()) != H5T_FLOAT) fail_at(path, "is not an array of floats");
    Tensor<float> t(shape);
    if (t.size() > 0 && H5Dread(d.get(), H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL, H5P_DEFAULT, t.data()) < 0)
        fail_at(path, with_reason("cannot be read"));
    return t;
}

} // namespace cs
