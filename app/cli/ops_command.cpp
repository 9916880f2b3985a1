// convscope-cli ops: the four operations on .npy files, so that a student can
// check a NumPy implementation against ours. float32 inputs compute in
// float32; if any input is float64 everything is computed in float64.
#include "command_line.hpp"
#include "commands.hpp"

#include "conv.hpp"
#include "npy.hpp"
#include "pool.hpp"

#include <cstdio>
#include <memory>

namespace cli {

namespace {

// What the four operations take; each uses its share.
struct OpsOptions {
    std::string A, W, b, dZ, dA;           // inputs
    std::string out, out_dA, out_dW, out_db; // outputs
    std::string padding = cs::to_string(cs::Padding::same);
    std::string activation = cs::to_string(cs::Activation::linear);
    std::string mode = cs::to_string(cs::PoolMode::max);
    std::string stride = "1,1", kernel = "2,2";
};

struct Inputs {
    std::vector<cs::NpyArray> arrays;
    bool wide = false; // any float64
};

Inputs read_inputs(const std::vector<std::string>& paths)
{
    Inputs in;
    for (const auto& path : paths) {
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

// The parameters, read from what the validators below have checked.
struct Params {
    cs::Stride stride;
    cs::KernelShape kernel;
    cs::Padding padding;
    cs::Activation activation;
    cs::PoolMode mode;

    explicit Params(const OpsOptions& o)
        : padding(cs::parse_padding(o.padding)), activation(cs::parse_activation(o.activation)),
          mode(cs::parse_pool_mode(o.mode))
    {
        const auto [sh, sw] = cmdline::split_pair(o.stride, ',');
        const auto [kh, kw] = cmdline::split_pair(o.kernel, ',');
        stride = {sh, sw};
        kernel = {kh, kw};
    }
};

enum class Op { conv_forward, conv_backward, pool_forward, pool_backward };

template <typename T>
void run(Op op, const OpsOptions& o, const Params& p, const Inputs& in)
{
    switch (op) {
    case Op::conv_forward:
        cs::write_npy(o.out, cs::conv_forward(as<T>(in.arrays[0]), as<T>(in.arrays[1]), as<T>(in.arrays[2]),
                                              p.activation, p.padding, p.stride));
        break;
    case Op::conv_backward: {
        const auto g = cs::conv_backward(as<T>(in.arrays[0]), as<T>(in.arrays[1]), as<T>(in.arrays[2]),
                                         as<T>(in.arrays[3]), p.padding, p.stride);
        cs::write_npy(o.out_dA, g.dA_prev);
        cs::write_npy(o.out_dW, g.dW);
        cs::write_npy(o.out_db, g.db);
        break;
    }
    case Op::pool_forward:
        cs::write_npy(o.out, cs::pool_forward(as<T>(in.arrays[0]), p.kernel, p.stride, p.mode));
        break;
    case Op::pool_backward:
        cs::write_npy(o.out, cs::pool_backward(as<T>(in.arrays[0]), as<T>(in.arrays[1]), p.kernel, p.stride, p.mode));
        break;
    }
}

// The inputs of each operation, in the order the core takes them.
std::vector<std::string> input_paths(Op op, const OpsOptions& o)
{
    switch (op) {
    case Op::conv_forward: return {o.A, o.W, o.b};
    case Op::conv_backward: return {o.dZ, o.A, o.W, o.b};
    case Op::pool_forward: return {o.A};
    case Op::pool_backward: return {o.dA, o.A};
    }
    return {};
}

void run_op(Op op, const OpsOptions& o)
{
    const Params params(o);
    const Inputs in = read_inputs(input_paths(op, o));
    if (in.wide)
        run<double>(op, o, params, in);
    else
        run<float>(op, o, params, in);
}

// A name the core's parser takes (padding, activation, pooling mode); the
// core's own message when it does not.
template <typename Enum>
CLI::Validator accepted_by(Enum (*parse)(const std::string&), std::initializer_list<Enum> values)
{
    std::vector<std::string> names;
    for (Enum v : values) names.push_back(cs::to_string(v));
    CLI::Validator listed = cmdline::one_of(names); // for its description
    return CLI::Validator(
        [parse](std::string& text) -> std::string {
            try {
                parse(text);
                return {};
            } catch (const cs::ShapeError& e) {
                return e.what();
            }
        },
        listed.get_description());
}

const char* const inputs_group = "Inputs (.npy)";
const char* const parameters_group = "Parameters";
const char* const outputs_group = "Outputs (.npy)";

void add_input(CLI::App& op, const std::string& name, std::string& path, const std::string& what)
{
    op.add_option(name, path, what)->type_name(name.substr(2) + ".npy")->required()->group(inputs_group);
}

void add_output(CLI::App& op, const std::string& name, std::string& path, const std::string& what)
{
    op.add_option(name, path, what)->type_name(name == "--out" ? "OUT.npy" : name.substr(6) + ".npy")->required()->group(outputs_group);
}

void add_stride(CLI::App& op, OpsOptions& o)
{
    op.add_option("--stride", o.stride, "strides (vertical, horizontal)")
        ->type_name("SH,SW")
        ->transform(cmdline::whole_number_pair(',', 1, 1000000, true))
        ->capture_default_str()
        ->group(parameters_group);
}

void add_padding(CLI::App& op, OpsOptions& o)
{
    op.add_option("--padding", o.padding, "TensorFlow's padding")
        ->type_name("P")
        ->check(accepted_by(cs::parse_padding, {cs::Padding::same, cs::Padding::valid}))
        ->capture_default_str()
        ->group(parameters_group);
}

void add_pool_parameters(CLI::App& op, OpsOptions& o)
{
    op.add_option("--kernel", o.kernel, "pooling window (height, width)")
        ->type_name("KH,KW")
        ->transform(cmdline::whole_number_pair(',', 1, 1000000, true))
        ->capture_default_str()
        ->group(parameters_group);
    add_stride(op, o);
    op.add_option("--mode", o.mode, "pooling")
        ->type_name("M")
        ->check(accepted_by(cs::parse_pool_mode, {cs::PoolMode::max, cs::PoolMode::avg}))
        ->capture_default_str()
        ->group(parameters_group);
}

} // namespace

void add_ops_command(CLI::App& app)
{
    auto o = std::make_shared<OpsOptions>();
    CLI::App* ops = app.add_subcommand(
        "ops", "Run one of the four operations of a CNN course on .npy arrays (C order, float32 or float64; any "
               "float64 input makes the whole computation float64), NHWC, with TensorFlow's 'same' and 'valid'. "
               "Shapes: A (m, h, w, c), W (kh, kw, c_prev, c_new), b (1, 1, 1, c_new); dZ and dA like the output.");
    ops->require_subcommand(1);

    CLI::App* conv_forward = ops->add_subcommand("conv-forward", "Z = activation(conv(A, W) + b)");
    add_input(*conv_forward, "--A", o->A, "input A (m, h, w, c_prev)");
    add_input(*conv_forward, "--W", o->W, "kernels W (kh, kw, c_prev, c_new)");
    add_input(*conv_forward, "--b", o->b, "biases b (1, 1, 1, c_new)");
    add_padding(*conv_forward, *o);
    add_stride(*conv_forward, *o);
    conv_forward->add_option("--activation", o->activation, "applied to conv(A, W) + b")
        ->type_name("F")
        ->check(accepted_by(cs::parse_activation, {cs::Activation::relu, cs::Activation::tanh,
                                                   cs::Activation::sigmoid, cs::Activation::linear}))
        ->capture_default_str()
        ->group(parameters_group);
    add_output(*conv_forward, "--out", o->out, "the output Z (m, h_out, w_out, c_new)");
    conv_forward->callback([o] { run_op(Op::conv_forward, *o); });

    CLI::App* pool_forward = ops->add_subcommand("pool-forward", "max or average pooling of A (never padded)");
    add_input(*pool_forward, "--A", o->A, "input A (m, h, w, c)");
    add_pool_parameters(*pool_forward, *o);
    add_output(*pool_forward, "--out", o->out, "the output (m, h_out, w_out, c)");
    pool_forward->callback([o] { run_op(Op::pool_forward, *o); });

    CLI::App* conv_backward = ops->add_subcommand(
        "conv-backward", "dA_prev, dW and db from dZ, the gradient of the pre-activation Z");
    add_input(*conv_backward, "--dZ", o->dZ, "gradient dZ (m, h_out, w_out, c_new)");
    add_input(*conv_backward, "--A", o->A, "the forward pass's input A (m, h, w, c_prev)");
    add_input(*conv_backward, "--W", o->W, "kernels W (kh, kw, c_prev, c_new)");
    add_input(*conv_backward, "--b", o->b, "biases b (1, 1, 1, c_new)");
    add_padding(*conv_backward, *o);
    add_stride(*conv_backward, *o);
    add_output(*conv_backward, "--out-dA", o->out_dA, "dA_prev, like A");
    add_output(*conv_backward, "--out-dW", o->out_dW, "dW, like W");
    add_output(*conv_backward, "--out-db", o->out_db, "db, like b");
    conv_backward->callback([o] { run_op(Op::conv_backward, *o); });

    CLI::App* pool_backward = ops->add_subcommand(
        "pool-backward", "dA_prev from dA (max: to the first maximum of each window; avg: shared equally)");
    add_input(*pool_backward, "--dA", o->dA, "gradient dA (m, h_out, w_out, c)");
    add_input(*pool_backward, "--A", o->A, "the forward pass's input A (m, h, w, c)");
    add_pool_parameters(*pool_backward, *o);
    add_output(*pool_backward, "--out", o->out, "dA_prev, like A");
    pool_backward->callback([o] { run_op(Op::pool_backward, *o); });

    for (CLI::App* op : {conv_forward, pool_forward, conv_backward, pool_backward}) op->group("Operations");
    ops->footer("convscope-cli ops OP --help lists the options of OP.");
}

} // namespace cli
