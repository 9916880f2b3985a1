// Writes the seed corpora of the fuzz targets: make_fuzz_corpus OUT_DIR
// writes OUT_DIR/<target>/seed-<what> (scripts/fuzz.sh --seeds runs it on
// tests/fuzz/corpus). Seeds are small valid files of every kind a reader
// knows, a few of its errors, and the hostile files of the findings F1-F5
// (kept as regression cases; crashes found later go next to them as
// crash-<what>).
#include "architecture.hpp"
#include "fuzz_support.hpp"
#include "handmade_files.hpp"

#include "idx.hpp"
#include "model_file.hpp"
#include "npy.hpp"
#include "trainer.hpp"
#include "training_state.hpp"

#include <png.h>
#include <zlib.h>

#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>

namespace {

using Bytes = std::vector<std::uint8_t>;
using MemberList = std::vector<std::pair<std::string, Bytes>>;
namespace fs = std::filesystem;

fs::path out_dir;

void write_seed(const std::string& target, const std::string& what, const Bytes& bytes)
{
    const fs::path dir = out_dir / target;
    fs::create_directories(dir);
    std::ofstream out(dir / ("seed-" + what), std::ios::binary);
    out.write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
}

Bytes read_file(const fs::path& path)
{
    std::ifstream in(path, std::ios::binary);
    return Bytes(std::istreambuf_iterator<char>(in), {});
}

Bytes to_bytes(const std::string& s) { return Bytes(s.begin(), s.end()); }
Bytes to_bytes(const std::vector<std::byte>& v)
{
    const auto* p = reinterpret_cast<const std::uint8_t*>(v.data());
    return Bytes(p, p + v.size());
}

Bytes npy(const cs::NpyArray& a) { return to_bytes(cs::npy_bytes(a)); }

cs::NpyArray ints(const cs::Shape& shape, const std::vector<std::int64_t>& values)
{
    cs::NpyArray a = cs::to_npy(std::span<const std::int64_t>(values));
    a.shape = shape;
    return a;
}

// An array of float, double or uint8 values (missing ones are 0).
template <typename T>
cs::NpyArray values(const cs::Shape& shape, const std::vector<double>& v)
{
    if constexpr (std::is_same_v<T, std::uint8_t>) {
        std::vector<std::uint8_t> bytes(shape.elements());
        for (std::size_t i = 0; i < v.size() && i < bytes.size(); ++i) bytes[i] = std::uint8_t(v[i]);
        return cs::to_npy(shape, bytes);
    } else {
        cs::Tensor<T> t(shape);
        for (std::size_t i = 0; i < v.size() && i < t.size(); ++i) t.data()[i] = T(v[i]);
        return cs::to_npy(t);
    }
}

// A .npy image with a hand-written header dict (version 1, 2 or 3).
Bytes npy_with_header(const std::string& dict, const std::string& data, int major = 1)
{
    const std::size_t pre = major == 1 ? 10 : 12;
    std::string header = dict;
    while ((pre + header.size() + 1) % 64) header += ' ';
    header += '\n';
    std::string s("\x93NUMPY", 6);
    s += char(major);
    s += '\0';
    for (std::size_t i = 0; i < pre - 8; ++i) s += char((header.size() >> (8 * i)) & 0xff);
    return to_bytes(s + header + data);
}

std::string gzip(const std::string& raw) { return handmade::deflated(raw, handmade::Wrapper::gzip); }
std::string raw_deflate(const std::string& raw) { return handmade::deflated(raw); }

// A one-member zip written by hand, its headers claiming `claimed_size`
// uncompressed bytes (in a zip64 extra field if asked): findings F5.
Bytes lying_zip(const std::string& name, const std::string& deflated, std::uint64_t claimed_size, bool zip64)
{
    return to_bytes(handmade::zip_archive({{name, deflated, 8, claimed_size, 0x12345678, zip64}}));
}

std::string idx(const std::vector<std::uint32_t>& dims, std::size_t payload)
{
    std::string s{0, 0, 8, char(dims.size())};
    for (auto d : dims) s += handmade::be32(d);
    for (std::size_t i = 0; i < payload; ++i) s += char(i * 37 % 256);
    return s;
}

// The members of a file write_npz or save_model wrote to a scratch path.
MemberList members_of(const fs::path& path)
{
    const Bytes zip = read_file(path);
    return fuzz::unzip_members(std::as_bytes(std::span(zip)));
}

// A format-2 model file's members: its architecture as the JSON `text`.
MemberList json_model(const std::string& text, const MemberList& extra = {})
{
    const auto* p = reinterpret_cast<const std::uint8_t*>(text.data());
    MemberList m{{"format_version.npy", npy(ints({1}, {2}))},
                 {"architecture.npy", npy(cs::to_npy(cs::Shape{text.size()}, std::span(p, text.size())))}};
    m.insert(m.end(), extra.begin(), extra.end());
    return m;
}

// A format-1 model file's members with `architecture` and `input_shape` replaced.
MemberList hostile_model(const std::vector<std::int64_t>& input, const std::vector<std::int64_t>& rows,
                         const MemberList& extra = {})
{
    MemberList m{{"format_version.npy", npy(ints({1}, {1}))},
                 {"input_shape.npy", npy(ints({3}, input))},
                 {"architecture.npy", npy(ints({rows.size() / 8, 8}, rows))}};
    m.insert(m.end(), extra.begin(), extra.end());
    return m;
}

std::unique_ptr<cs::Sequential<float>> tiny_model(int which, std::uint64_t seed)
{
    using cs::Activation, cs::Padding;
    if (which == 0)
        return cs::make_model<float>({6, 6, 1},
                                     {{"conv2d", 2, {3, 3}, {1, 1}, Padding::same, Activation::relu},
                                      {"max_pooling2d", 0, {2, 2}, {2, 2}, Padding::valid, Activation::linear},
                                      {"flatten"},
                                      {"dense", 3, {0, 0}, {1, 1}, Padding::valid, Activation::linear}},
                                     seed);
    if (which == 1)
        return cs::make_model<float>({7, 5, 2},
                                     {{"conv2d", 3, {3, 2}, {2, 1}, Padding::valid, Activation::tanh},
                                      {"average_pooling2d", 0, {2, 1}, {1, 1}, Padding::valid, Activation::linear},
                                      {"flatten"},
                                      {"dense", 4, {0, 0}, {1, 1}, Padding::valid, Activation::sigmoid},
                                      {"dense", 2, {0, 0}, {1, 1}, Padding::valid, Activation::linear}},
                                     seed);
    if (which == 3) {
        // Every other kind of layer, as Keras JSON reads them.
        using namespace cs::layers;
        return cs::make_model<float>(cs::Architecture{{6, 5, 3},
                                                      {{"scale", rescaling(0.5, 0.1)},
                                                       {"pad", zero_padding2d({1, 0, 2, 1})},
                                                       {"conv", conv2d(2, {2, 2}, {2, 2}, Padding::same, Activation::linear, false)},
                                                       {"act", activation(Activation::tanh)},
                                                       {"rectify", relu()},
                                                       {"flat", flatten()},
                                                       {"drop", dropout(0.25)},
                                                       {"logits", dense(2, Activation::softmax)}}},
                                     seed);
    }
    return cs::make_model<float>({2, 2, 1},
                                 {{"flatten"},
                                  {"dense", 3, {0, 0}, {1, 1}, Padding::valid, Activation::relu},
                                  {"dense", 2, {0, 0}, {1, 1}, Padding::valid, Activation::linear}},
                                 seed);
}

void model_and_session_seeds()
{
    const fs::path file = fs::temp_directory_path() / ("convscope-corpus-" + std::to_string(::getpid()) + ".npz");
    for (int which = 0; which < 4; ++which) {
        auto model = tiny_model(which, 7);
        cs::save_model(file, *model);
        const MemberList members = members_of(file);
        write_seed("model", "model" + std::to_string(which) + "-stored", fuzz::join_members(0x00, members));
        write_seed("model", "model" + std::to_string(which) + "-deflated", fuzz::join_members(0xff, members));

        // A session: a few steps of Adam or SGD on random images, with history.
        const cs::Shape& in = model->input_shape();
        std::mt19937 rng(which);
        cs::Tensor<float> x(cs::Shape{6, in[0], in[1], in[2]});
        for (std::size_t i = 0; i < x.size(); ++i) x.data()[i] = float(rng() % 256) / 255.0f;
        const std::vector<std::uint8_t> y{0, 1, 0, 1, 1, 0};
        auto optimizer = cs::make_optimizer<float>(which == 1 ? "sgd" : "adam");
        cs::Trainer<float> trainer(*model, *optimizer, x, y, {4, 3, true});
        cs::TrainingHistory history;
        if (which == 2) { // points of two steps: history/resolution
            history.loss.set_max_points(2);
            history.accuracy.set_max_points(2);
        }
        cs::ParameterTimeline timeline(model->parameter_count());
        timeline.record(0, model->parameters());
        for (int s = 0; s < 3; ++s) {
            const cs::StepResult r = trainer.step();
            history.add_step(float(r.loss), float(r.accuracy));
            timeline.record(r.step, model->parameters());
        }
        history.evaluations.push_back({3, 1, 0.7, 0.5, 0.69, 0.5});
        cs::save_model(file, *model, cs::capture_training_state(trainer, *optimizer, "digits"), history);
        const MemberList session = members_of(file);
        write_seed("session", "session" + std::to_string(which) + "-stored", fuzz::join_members(0x00, session));
        write_seed("session", "session" + std::to_string(which) + "-deflated", fuzz::join_members(0x55, session));
        if (which == 0) write_seed("model", "session0", fuzz::join_members(0x00, session));

        // The same session keeping an earlier run (runs/index, runs/0/*).
        cs::SessionRuns runs;
        runs.current_name = "current";
        cs::RunRecord earlier;
        earlier.name = "earlier";
        earlier.architecture = cs::architecture_text(*model);
        earlier.steps = 3;
        earlier.history = history;
        earlier.test_accuracy = 0.5;
        runs.earlier.push_back(earlier);
        cs::save_model(file, *model, cs::capture_training_state(trainer, *optimizer, "digits"), history, &runs);
        write_seed("session", "session" + std::to_string(which) + "-runs", fuzz::join_members(0x00, members_of(file)));

        // And its timeline (timeline/steps, /parameters, /settings).
        cs::save_model(file, *model, cs::capture_training_state(trainer, *optimizer, "digits"), history, &runs,
                       &timeline);
        write_seed("session", "session" + std::to_string(which) + "-timeline",
                   fuzz::join_members(0x00, members_of(file)));
        if (which == 0) write_seed("model", "session0-timeline", fuzz::join_members(0x00, members_of(file)));
    }

    // F2: every field within the old limits, the parameter total wraps 2^64.
    const std::vector<std::int64_t> wrap{0, 1 << 20, 1, 1, 1, 1, 0, 0, 0, 1 << 20, 4, 4, 1, 1, 0, 0,
                                         3, 0,       0, 0, 1, 1, 1, 0, 4, (1 << 20) - 1, 0, 0, 1, 1, 1, 0};
    write_seed("model", "F2-parameter-total-wraps", fuzz::join_members(0, hostile_model({4096, 4096, 1}, wrap)));
    // F3: an architecture of 52 million parameters and no weights.
    const std::vector<std::int64_t> big{3, 0, 0, 0, 1, 1, 1, 0, 4, 1 << 16, 0, 0, 1, 1, 1, 1, 4, 10, 0, 0, 1, 1, 1, 0};
    write_seed("model", "F3-architecture-without-weights", fuzz::join_members(0, hostile_model({28, 28, 1}, big)));
    // F2 again in format 2: the same layers as Keras' JSON.
    const std::string input = R"({"class_name": "InputLayer", "config": {"batch_input_shape": [null, 4096, 4096, 1]}})";
    const std::string conv = R"("strides": [1, 1], "padding": "same", "activation": "linear"}})";
    write_seed("model", "F2-json-parameter-total-wraps",
               fuzz::join_members(0, json_model(R"({"class_name": "Sequential", "config": {"layers": [)" + input +
                                                R"(, {"class_name": "Conv2D", "config": {"name": "a", "filters": 1048576, "kernel_size": [1, 1], )" +
                                                conv +
                                                R"(, {"class_name": "Conv2D", "config": {"name": "b", "filters": 1048576, "kernel_size": [4, 4], )" +
                                                conv +
                                                R"(, {"class_name": "Flatten", "config": {"name": "f"}})"
                                                R"(, {"class_name": "Dense", "config": {"name": "d", "units": 1048575, "activation": "linear"}}]}})")));

    // F4: history/evaluations with -1, NaN and 1e300 for steps.
    const std::vector<std::int64_t> small{3, 0, 0, 0, 1, 1, 1, 0, 4, 2, 0, 0, 1, 1, 1, 0};
    const MemberList weights{{"dense/kernel.npy", npy(values<float>({4, 2}, {0.5, -0.5}))},
                             {"dense/bias.npy", npy(values<float>({2}, {}))}};
    for (double bad : {-1.0, std::nan(""), 1e300}) {
        MemberList extra = weights;
        extra.emplace_back("history/evaluations.npy", npy(values<double>({1, 6}, {bad, 0, 1, 0.5, 1, 0.5})));
        char name[64];
        std::snprintf(name, sizeof name, "F4-history-step-%g", bad);
        write_seed("session", name, fuzz::join_members(0, hostile_model({2, 2, 1}, small, extra)));
    }
    std::error_code ec;
    fs::remove(file, ec);
}

void dataset_seeds()
{
    const auto member = [](const char* name, const cs::NpyArray& a) { return std::pair(std::string(name), npy(a)); };
    std::vector<double> pixels(4 * 9);
    for (std::size_t i = 0; i < pixels.size(); ++i) pixels[i] = double(i * 7 % 256);
    const MemberList u1{member("X_train.npy", values<std::uint8_t>({4, 3, 3}, pixels)),
                        member("Y_train.npy", ints({4}, {0, 1, 2, 1})),
                        member("X_test.npy", values<std::uint8_t>({2, 3, 3}, pixels)),
                        member("Y_test.npy", ints({2}, {2, 0}))};
    write_seed("dataset", "uint8-images-int-labels", fuzz::join_members(0x00, u1));
    write_seed("dataset", "uint8-images-int-labels-deflated", fuzz::join_members(0xff, u1));
    std::vector<double> unit(pixels);
    for (double& p : unit) p /= 255.0;
    const MemberList f4{member("X_train.npy", values<float>({4, 3, 3, 1}, unit)),
                        member("Y_train.npy", values<float>({4, 3}, {1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 0, 0})),
                        member("X_valid.npy", values<float>({1, 3, 3, 1}, unit)),
                        member("Y_valid.npy", values<float>({1, 3}, {0, 1, 0})),
                        member("X_test.npy", values<float>({2, 3, 3, 1}, unit)),
                        member("Y_test.npy", values<float>({2, 3}, {0, 0, 1, 1, 0, 0}))};
    write_seed("dataset", "float-images-one-hot-labels", fuzz::join_members(0x00, f4));
    const MemberList flat{member("X_train.npy", values<double>({4, 9}, unit)),
                          member("Y_train.npy", values<double>({4}, {0, 1, 1, 0})),
                          member("X_test.npy", values<double>({2, 9}, unit)),
                          member("Y_test.npy", values<double>({2}, {1, 0}))};
    write_seed("dataset", "flat-images-float-labels", fuzz::join_members(0x0f, flat));
}

void npy_seeds()
{
    write_seed("npy", "f4", npy(values<float>({2, 3}, {0.5, -1, 3.25, 1e-3, 7, 0})));
    write_seed("npy", "f8", npy(values<double>({3}, {1.5, -2, 1e300})));
    write_seed("npy", "u1", npy(values<std::uint8_t>({2, 2, 2}, {0, 1, 2, 3, 255, 254, 9, 8})));
    write_seed("npy", "i8", npy(ints({4}, {0, -1, 9, 1234567890123})));
    write_seed("npy", "one-hot", npy(values<float>({3, 4}, {0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1})));
    write_seed("npy", "empty", npy(values<float>({0, 3}, {})));
    write_seed("npy", "scalar", npy_with_header("{'descr': '<f8', 'fortran_order': False, 'shape': (), }",
                                               std::string("\0\0\0\0\0\0\xf0\x3f", 8)));
    write_seed("npy", "v2-i2", npy_with_header("{'descr': '<i2', 'fortran_order': False, 'shape': (2,), }",
                                              std::string("\x01\x00\xff\xff", 4), 2));
    write_seed("npy", "v3-u8", npy_with_header("{\"descr\": \"<u8\", \"fortran_order\": False, \"shape\": (1L,)}",
                                              std::string("\x05\0\0\0\0\0\0\0", 8), 3));
    write_seed("npy", "b1", npy_with_header("{'descr': '|b1', 'fortran_order': False, 'shape': (3,), }",
                                                        std::string("\x00\x01\x02", 3)));
    write_seed("npy", "fortran-order", npy_with_header("{'descr': '<f4', 'fortran_order': True, 'shape': (1,), }",
                                                       "abcd"));
    write_seed("npy", "big-endian", npy_with_header("{'descr': '>f4', 'fortran_order': False, 'shape': (1,), }",
                                                    "abcd"));
    write_seed("npy", "absurd-shape",
               npy_with_header("{'descr': '<f4', 'fortran_order': False, 'shape': (4294967296, 4294967296), }", ""));
}

void npz_seeds()
{
    const fs::path file = fs::temp_directory_path() / ("convscope-corpus-" + std::to_string(::getpid()) + ".npz");
    const std::vector<std::pair<std::string, cs::NpyArray>> arrays{
        {"X", values<float>({2, 2}, {1, 2, 3, 4})}, {"labels", ints({3}, {0, 1, 2})}};
    cs::write_npz(file, arrays);
    write_seed("npz", "stored", read_file(file));
    cs::write_npz(file, arrays, /*compress*/ true);
    write_seed("npz", "deflated", read_file(file));
    cs::save_model(file, *tiny_model(2, 1));
    write_seed("npz", "model", read_file(file));
    // F5: a deflated member claiming 3 * 10^9 bytes; a zip64 one claiming 2^34.
    const std::string header3g = "{'descr': '|u1', 'fortran_order': False, 'shape': (3000000000,), }";
    const Bytes npy3g = npy_with_header(header3g, std::string(64, '\0'));
    write_seed("npz", "F5-member-claims-3GB",
               lying_zip("X.npy", raw_deflate(std::string(npy3g.begin(), npy3g.end())), npy3g.size() - 64 + 3000000000ull,
                         false));
    const std::string header16g = "{'descr': '|u1', 'fortran_order': False, 'shape': (17179869184,), }";
    const Bytes npy16g = npy_with_header(header16g, std::string(64, '\0'));
    write_seed("npz", "F5-zip64-member-claims-16GiB",
               lying_zip("X_train.npy", raw_deflate(std::string(npy16g.begin(), npy16g.end())),
                         npy16g.size() - 64 + (std::uint64_t(1) << 34), true));
    std::error_code ec;
    fs::remove(file, ec);
}

void idx_seeds()
{
    write_seed("idx", "images", to_bytes(idx({2, 3, 3}, 18)));
    write_seed("idx", "labels", to_bytes(idx({3}, 3)));
    write_seed("idx", "rank4", to_bytes(idx({1, 2, 2, 3}, 12)));
    write_seed("idx", "images-gz", to_bytes(gzip(idx({2, 3, 3}, 18))));
    write_seed("idx", "labels-gz", to_bytes(gzip(idx({3}, 3))));
    // Two gzip members one after the other (as `cat a.gz b.gz`).
    const std::string whole = idx({4}, 4);
    write_seed("idx", "two-gzip-members", to_bytes(gzip(whole.substr(0, 7)) + gzip(whole.substr(7))));
    // F1: 16 bytes claiming (32768, 256, 256) = 2^31 bytes, plain and gzip.
    write_seed("idx", "F1-claims-2GB", to_bytes(idx({32768, 256, 256}, 0)));
    write_seed("idx", "F1-claims-2GB-gz", to_bytes(gzip(idx({32768, 256, 256}, 0))));
}

void png_seed(const char* what, png_uint_32 format, png_uint_32 width, png_uint_32 height)
{
    png_image image{};
    image.version = PNG_IMAGE_VERSION;
    image.format = format;
    image.width = width;
    image.height = height;
    image.colormap_entries = (format & PNG_FORMAT_FLAG_COLORMAP) ? 4 : 0;
    Bytes pixels(PNG_IMAGE_SIZE(image));
    for (std::size_t i = 0; i < pixels.size(); ++i) pixels[i] = std::uint8_t(i * 53 % 256);
    if (format & PNG_FORMAT_FLAG_COLORMAP)
        for (auto& p : pixels) p %= 4;
    Bytes colormap(PNG_IMAGE_COLORMAP_SIZE(image) + 1);
    for (std::size_t i = 0; i < colormap.size(); ++i) colormap[i] = std::uint8_t(i * 97 % 256);
    png_alloc_size_t size = 0;
    if (!png_image_write_to_memory(&image, nullptr, &size, 0, pixels.data(), 0, colormap.data())) std::abort();
    Bytes out(size);
    if (!png_image_write_to_memory(&image, out.data(), &size, 0, pixels.data(), 0, colormap.data())) std::abort();
    out.resize(size);
    write_seed("png", what, out);
}

void png_seeds()
{
    png_seed("gray", PNG_FORMAT_GRAY, 3, 2);
    png_seed("gray-alpha", PNG_FORMAT_GA, 2, 2);
    png_seed("rgb", PNG_FORMAT_RGB, 2, 3);
    png_seed("rgba", PNG_FORMAT_RGBA, 4, 1);
    png_seed("gray-16-bit", PNG_FORMAT_LINEAR_Y, 2, 2);
    png_seed("palette", PNG_FORMAT_RGB_COLORMAP, 3, 3);
    // 67 bytes whose header claims 16384x16384 pixels: 268 MB were allocated
    // before the read failed.
    write_seed("png", "claims-16384x16384", to_bytes(handmade::png_claiming(16384, 16384)));
}

} // namespace

int main(int argc, char** argv)
{
    if (argc != 2) {
        std::fprintf(stderr, "usage: make_fuzz_corpus OUT_DIR\n");
        return 2;
    }
    out_dir = argv[1];
    model_and_session_seeds();
    dataset_seeds();
    npy_seeds();
    npz_seeds();
    idx_seeds();
    png_seeds();
    return 0;
}
