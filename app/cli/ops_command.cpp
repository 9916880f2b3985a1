// convscope-cli ops: the four operations on .npy files, so that a student can
// check a NumPy implementation against ours. float32 inputs compute in
// float32; if any input is float64 everything is computed in float64.
#include "args.hpp"
#include "commands.hpp"

#include "conv.hpp"
#include "npy.hpp"
#include "pool.hpp"

#include <cstdio>

namespace cli {

namespace {

const char* help =
    "usage: convscope-cli ops OP [options]   (arrays are .npy, C order, float32 or float64)\n"
    "  conv-forward  --A A.npy --W W.npy --b b.npy [--padding same|valid] [--stride SH,SW]\n"
    "                [--activation relu|tanh|sigmoid|linear] --out OUT.npy\n"
    "  pool-forward  --A A.npy [--kernel KH,KW] [--stride SH,SW] [--mode max|avg] --out OUT.npy\n"
    "  conv-backward --dZ dZ.npy --A A.npy --W W.npy --b b.npy [--padding same|valid] [--stride SH,SW]\n"
    "                --out-dA dA.npy --out-dW dW.npy --out-db db.npy\n"
    "  pool-backward --dA dA.npy --A A.npy [--kernel KH,KW] [--stride SH,SW] [--mode max|avg] --out OUT.npy\n"
    "Shapes: A (m, h, w, c), W (kh, kw, c_prev, c_new), b (1, 1, 1, c_new), dZ and dA like the output.\n"
    "Defaults: padding same, stride 1,1, activation linear, kernel 2,2, mode max.\n";

struct Inputs {
    std::vector<cs::NpyArray> arrays;
    bool wide = false; // any float64
};

Inputs read_inputs(const Args& args, const std::vector<std::string>& names)
{
    Inputs in;
    for (const auto& name : names) {
        const std::string path = args.require(name);
        cs::NpyArray a = cs::read_npy(path);
        if (a.dtype != "f4" && a.dtype != "f8")
            throw cs::FormatError(path + ": dtype " + a.dtype + "; ops take float32 or float64 arrays");
        in.wide = in.wide || a.dtype == "f8";
        in.arrays.push_back(std::move(a));
    }
    return in;
}

template <typename T>
cs::Tensor<T> as(const cs::NpyArray& a)
{
    if constexpr (std::is_same_v<T, double>)
        return cs::to_double_tensor(a);
    else
        return cs::to_float_tensor(a);
}

// Every parameter, parsed and checked before any file is read.
struct Params {
    cs::Stride stride;
    cs::KernelShape kernel;
    cs::Padding padding;
    cs::Activation activation;
    cs::PoolMode mode;

    explicit Params(const Args& args)
    {
        const auto [sh, sw] = args.pair("stride", {1, 1});
        const auto [kh, kw] = args.pair("kernel", {2, 2});
        stride = {sh, sw};
        kernel = {kh, kw};
        padding = cs::parse_padding(args.get_or("padding", "same"));
        activation = cs::parse_activation(args.get_or("activation", "linear"));
        mode = cs::parse_pool_mode(args.get_or("mode", "max"));
    }
};

template <typename T>
void run(const std::string& op, const Args& args, const Params& p, const Inputs& in)
{
    if (op == "conv-forward") {
        const auto out = cs::conv_forward(as<T>(in.arrays[0]), as<T>(in.arrays[1]), as<T>(in.arrays[2]),
                                          p.activation, p.padding, p.stride);
        cs::write_npy(args.require("out"), out);
    } else if (op == "conv-backward") {
        const auto g = cs::conv_backward(as<T>(in.arrays[0]), as<T>(in.arrays[1]), as<T>(in.arrays[2]),
                                         as<T>(in.arrays[3]), p.padding, p.stride);
        cs::write_npy(args.require("out-dA"), g.dA_prev);
        cs::write_npy(args.require("out-dW"), g.dW);
        cs::write_npy(args.require("out-db"), g.db);
    } else if (op == "pool-forward") {
        cs::write_npy(args.require("out"), cs::pool_forward(as<T>(in.arrays[0]), p.kernel, p.stride, p.mode));
    } else {
        cs::write_npy(args.require("out"),
                      cs::pool_backward(as<T>(in.arrays[0]), as<T>(in.arrays[1]), p.kernel, p.stride, p.mode));
    }
}

} // namespace

int ops_command(int argc, char** argv)
{
    const Args args(argc, argv, 3,
                    {"A", "W", "b", "dZ", "dA", "padding", "stride", "activation", "kernel", "mode", "out", "out-dA",
                     "out-dW", "out-db"},
                    {});
    const std::string op = argc >= 3 ? argv[2] : "";
    if (args.help() || op == "--help" || op == "-h") return std::fputs(help, stdout), 0;
    if (op.empty()) return std::fputs(help, stderr), 2;
    std::vector<std::string> inputs;
    if (op == "conv-forward") inputs = {"A", "W", "b"};
    else if (op == "conv-backward") inputs = {"dZ", "A", "W", "b"};
    else if (op == "pool-forward") inputs = {"A"};
    else if (op == "pool-backward") inputs = {"dA", "A"};
    else throw UsageError("unknown operation '" + op + "': conv-forward, pool-forward, conv-backward or pool-backward");
    if (!args.positional().empty()) throw UsageError("unexpected argument '" + args.positional()[0] + "'");
    const Params params(args);
    const Inputs in = read_inputs(args, inputs);
    if (in.wide)
        run<double>(op, args, params, in);
    else
        run<float>(op, args, params, in);
    return 0;
}

} // namespace cli
