// convscope-cli explain MODEL --layer NAME --cell I,J,K [--grad] [--json]:
// one number of one sample's pass, as the sum that made it
// (core/nn/explanation.hpp), as a table or one JSON object. The window's
// Explain panel shows the same explanations, so this is also the way to
// check it.
#include "command_line.hpp"
#include "commands.hpp"

#include "dataset.hpp"
#include "explanation.hpp"
#include "saliency.hpp"
#include "shipped_model.hpp"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <memory>
#include <string>

namespace cli {

namespace {

struct ExplainOptions {
    std::string model{cs::shipped_model_name};
    ModelOptions opening;
    std::string data = "digits";
    long sample = 0;
    bool train = false;
    std::string layer;
    std::string cell;   // I,J,K or K
    std::string weight; // DI,DJ,C,F or K,U
    bool grad = false;
    bool json = false;
};

// "3,5,2" -> {3, 5, 2}; a clear message for anything else.
cs::Cell parse_cell(const std::string& text, const char* option)
{
    cs::Cell cell;
    std::size_t start = 0;
    while (true) {
        const std::size_t comma = text.find(',', start);
        const std::string part = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
        std::size_t used = 0;
        unsigned long long v = 0;
        bool ok = !part.empty() && part.find_first_not_of("0123456789") == std::string::npos;
        if (ok) {
            try {
                v = std::stoull(part, &used);
            } catch (const std::exception&) {
                ok = false;
            }
        }
        if (!ok || used != part.size())
            throw cs::ShapeError(std::string(option) + " takes indices from 0 separated by commas (3,5,2), not '" +
                                 text + "'");
        cell.push_back(std::size_t(v));
        if (comma == std::string::npos) break;
        start = comma + 1;
    }
    return cell;
}

std::vector<std::ptrdiff_t> signed_cell(const cs::Cell& cell) { return {cell.begin(), cell.end()}; }


nlohmann::json to_json(const cs::Explanation& e, const std::string& set, long sample, int label)
{
    nlohmann::json j;
    j["layer"] = e.layer;
    j["kind"] = e.kind;
    j["quantity"] = e.quantity == "A" ? "A" : e.quantity == "dA" ? "dL/dA" : "dL/dW";
    j["cell"] = e.cell;
    j["value"] = e.value;
    j["sample"] = {{"set", set}, {"index", sample}, {"label", label}};
    std::vector<std::size_t> shape;
    for (std::size_t a = 0; a < e.source_shape.rank(); ++a) shape.push_back(e.source_shape[a]);
    j["source"] = {{"name", e.source}, {"shape", shape}};
    const bool forward = e.quantity == "A";
    if (forward && (e.kind == "conv" || e.kind == "dense")) {
        j["z"] = e.sum;
        j["bias"] = e.bias.value_or(0.0);
        j["activation"] = cs::to_string(e.activation);
    } else {
        j["sum"] = e.sum;
    }
    if (forward && e.kind == "rescaling") j["offset"] = e.bias.value_or(0.0);
    if (e.kind == "conv") {
        j["kernel"] = {e.kernel.h, e.kernel.w};
        j["stride"] = {e.stride.h, e.stride.w};
        j["padding"] = cs::to_string(e.padding);
        j["pad"] = {e.pad_top, e.pad_left};
        if (forward) j["corner"] = {e.corner_row, e.corner_col};
    }
    if (e.pool_mode) {
        j["mode"] = cs::to_string(*e.pool_mode);
        j["kernel"] = {e.kernel.h, e.kernel.w};
        j["stride"] = {e.stride.h, e.stride.w};
        if (e.winner) j["winner"] = *e.winner;
    }
    nlohmann::json terms = nlohmann::json::array();
    for (const cs::ExplanationTerm& t : e.terms) {
        nlohmann::json term = {{"from", t.from}, {"x", t.x}};
        // A forward pooling term is a value read, not a product.
        if (!(forward && e.pool_mode)) term["w"] = t.w;
        if (t.padding) term["padding"] = true;
        terms.push_back(std::move(term));
    }
    j["terms"] = std::move(terms);
    return j;
}

// What x and w of a term are, in the table's heading.
std::pair<const char*, const char*> term_names(const cs::Explanation& e)
{
    if (e.quantity == "A") return {"x", e.kind == "pool" ? "weight" : "w"};
    if (e.quantity == "dW") return {"x", "dZ"};
    if (e.kind == "conv" || e.kind == "dense") return {"dZ", "w"};
    if (e.kind == "pool") return {"dA", "share"};
    return {"dA", e.kind == "activation" ? "f'(z)" : "factor"};
}

void print_table(const cs::Explanation& e, const std::string& set, long sample, int label)
{
    const bool forward = e.quantity == "A";
    const std::string source = e.source + " " + e.source_shape.str();
    if (forward)
        std::printf("%s (%s), cell %s of its output: %.9g\n", e.layer.c_str(), e.kind.c_str(), cs::cell_text(e.cell).c_str(),
                    e.value);
    else if (e.quantity == "dA")
        std::printf("dL/dA at cell %s of %s's input, as %s's backward wrote it: %.9g\n", cs::cell_text(e.cell).c_str(),
                    e.layer.c_str(), e.layer.c_str(), e.value);
    else
        std::printf("dL/dW of %s's kernel at %s: %.9g\n", e.layer.c_str(), cs::cell_text(e.cell).c_str(), e.value);
    std::printf("%s sample %ld (label %d)%s\n", set.c_str(), sample, label,
                forward ? "" : "; L = -log p[label]");

    if (e.kind == "conv") {
        std::printf("kernel %zux%zu, stride %zux%zu, padding %s (pad top %zu, left %zu)\n", e.kernel.h, e.kernel.w,
                    e.stride.h, e.stride.w, cs::to_string(e.padding).c_str(), e.pad_top, e.pad_left);
        if (forward)
            std::printf("window corner: row = i*stride - pad_top = %zu*%zu - %zu = %td, "
                        "col = j*stride - pad_left = %zu*%zu - %zu = %td\n",
                        e.cell[0], e.stride.h, e.pad_top, e.corner_row, e.cell[1], e.stride.w, e.pad_left,
                        e.corner_col);
    }
    if (e.pool_mode)
        std::printf("%s pooling %zux%zu, stride %zux%zu%s\n", cs::to_string(*e.pool_mode).c_str(), e.kernel.h,
                    e.kernel.w, e.stride.h, e.stride.w,
                    forward ? (*e.pool_mode == cs::PoolMode::max ? "; the first maximum in row-major order wins"
                                                                 : "; the mean of the window")
                            : (*e.pool_mode == cs::PoolMode::max ? "; only a window's winner receives its gradient"
                                                                 : "; a window's gradient is shared equally"));
    const auto [x_name, w_name] = term_names(e);
    const std::string from = forward || e.quantity == "dW" ? source : e.layer + " " + e.source_shape.str();
    std::printf("%zu term%s from %s:\n", e.terms.size(), e.terms.size() == 1 ? "" : "s", from.c_str());
    std::printf("  %-18s %15s %15s %15s\n", "from", x_name, w_name, "product");
    for (const cs::ExplanationTerm& t : e.terms) {
        const std::string mark = t.padding ? " padding" : e.winner && t.from == signed_cell(*e.winner) ? " winner" : "";
        std::printf("  %-18s %15.9g %15.9g %15.9g%s\n", cs::cell_text(t.from).c_str(), t.x, t.w, t.product(),
                    mark.c_str());
    }
    if (forward && e.pool_mode == cs::PoolMode::max) {
        std::printf("max = %.9g at %s\n", e.sum, cs::cell_text(*e.winner).c_str());
    } else if (forward && (e.kind == "conv" || e.kind == "dense")) {
        std::printf("sum of the products   %.9g\n", e.sum - e.bias.value_or(0));
        std::printf("+ bias                %.9g\n", e.bias.value_or(0));
        std::printf("= z                   %.9g\n", e.sum);
        if (e.activation == cs::Activation::softmax)
            std::printf("softmax comes with the loss: the layer passes z on\n");
        else
            std::printf("%s(z)%*s%.9g\n", cs::to_string(e.activation).c_str(),
                        int(18 - cs::to_string(e.activation).size()), "", e.activated);
    } else {
        if (e.bias) std::printf("+ offset              %.9g\n", *e.bias);
        std::printf("sum                   %.9g\n", e.sum);
        if (forward && e.kind == "activation")
            std::printf("%s(sum)%*s%.9g\n", cs::to_string(e.activation).c_str(),
                        int(16 - cs::to_string(e.activation).size()), "", e.activated);
    }
    std::printf("the core's value      %.9g\n", e.value);
}

void run_explanation(const ExplainOptions& o)
{
    const cs::Dataset data = cs::load_dataset(o.data);
    const cs::ModelFile f = open_model_for(o.model, o.opening, &data);
    const cs::Sequential<float>& model = *f.model;
    const cs::Tensor<float>& images = o.train ? data.train_images : data.test_images;
    const std::vector<std::uint8_t>& labels = o.train ? data.train_labels : data.test_labels;
    const std::string set = o.train ? "training" : "test";
    if (std::size_t(o.sample) >= images.dim(0))
        throw cs::ShapeError("--sample " + std::to_string(o.sample) + ": " + data.name + "'s " + set + " set has " +
                             std::to_string(images.dim(0)) + " images (0 to " + std::to_string(images.dim(0) - 1) +
                             ")");
    const cs::Shape& in = model.input_shape();
    const cs::Shape image{images.dim(1), images.dim(2), images.dim(3)};
    if (!(image == in))
        throw cs::ShapeError(o.model + " takes " + in.str() + " images, but " + data.name + " has " + image.str());
    const int label = labels[std::size_t(o.sample)];

    cs::Tensor<float> sample({1, in[0], in[1], in[2]});
    const std::size_t n = in.elements();
    std::copy_n(images.data() + std::size_t(o.sample) * n, n, sample.data());

    const cs::Network<float>& network = model.network();
    const std::size_t layer = cs::layer_index(network, o.layer);
    cs::Workspace<float> workspace;
    cs::Explanation e;
    if (!o.grad) {
        if (!o.weight.empty()) throw cs::ShapeError("--weight explains a gradient: give --grad too");
        network.forward(model.parameters(), sample, workspace);
        e = cs::explain_forward(network, model.parameters(), workspace, layer, parse_cell(o.cell, "--cell"));
    } else {
        if (std::size_t(label) >= model.classes())
            throw cs::ShapeError("the sample's label " + std::to_string(label) + " is not one of the model's " +
                                 std::to_string(model.classes()) + " classes");
        cs::sample_gradients(network, model.parameters(), sample, std::size_t(label), workspace);
        e = o.weight.empty()
                ? cs::explain_gradient(network, model.parameters(), workspace, layer, parse_cell(o.cell, "--cell"))
                : cs::explain_weight_gradient(network, model.parameters(), workspace, layer,
                                              parse_cell(o.weight, "--weight"));
    }
    if (o.json)
        std::printf("%s\n", to_json(e, set, o.sample, label).dump().c_str());
    else
        print_table(e, set, o.sample, label);
}

} // namespace

void add_explain_command(CLI::App& app)
{
    auto o = std::make_shared<ExplainOptions>();
    CLI::App* explain = app.add_subcommand(
        "explain",
        "Explain one number of a sample's pass: a cell of a layer's output as the sum that made it (the window "
        "on the layer before, the kernel, each product, + bias = z, then the activation), or with --grad the "
        "gradient its backward wrote. The sum equals the value the core computed.");
    add_model_argument(*explain, o->model)->required();
    add_data_option(*explain, o->data);
    add_model_options(*explain, o->opening);
    explain->add_option("--sample", o->sample, "the image: its index in the test set (or, with --train, the training set)")
        ->type_name("N")
        ->transform(cmdline::whole_number(0, 1L << 40))
        ->capture_default_str();
    explain->add_flag("--train", o->train, "take the sample from the training set");
    explain->add_option("--layer", o->layer, "the layer's name, as 'convscope-cli arch MODEL' lists them (conv2d_1)")
        ->type_name("NAME")
        ->required();
    CLI::Option* cell = explain
                            ->add_option("--cell", o->cell,
                                         "the cell: I,J,K (row, column, channel) of maps, K of a dense layer; with "
                                         "--grad, a cell of the layer's input, whose gradient the layer's backward "
                                         "wrote")
                            ->type_name("I,J,K");
    CLI::Option* weight =
        explain
            ->add_option("--weight", o->weight,
                         "with --grad: a weight of the layer's kernel, DI,DJ,C,F of a convolution's or K,U of a "
                         "dense layer's, whose dL/dW is explained")
            ->type_name("INDEX");
    cell->excludes(weight);
    explain->add_flag("--grad", o->grad,
                      "explain a gradient of L = -log p[label] for the sample: dL/dA of the layer's input at --cell, "
                      "or dL/dW at --weight");
    explain->add_flag("--json", o->json, "print one JSON object (layer, kind, value, z, bias, terms...)");
    explain->callback([o, cell, weight] {
        if (cell->count() == 0 && weight->count() == 0) throw CLI::RequiredError("--cell");
        run_explanation(*o);
    });
}

} // namespace cli
