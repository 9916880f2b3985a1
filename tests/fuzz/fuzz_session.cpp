// Sessions: model files with optimizer state, training counters and history
// (the same loader as fuzz_model, seeded with sessions). A session that
// loads must restore its optimizer or refuse it with a SettingError or a
// ShapeError, and a small one must resume and take a training step.
#include "fuzz_support.hpp"

#include "errors.hpp"
#include "model_file.hpp"
#include "trainer.hpp"

#include <algorithm>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::vector<std::byte> zip = fuzz::zip_members(fuzz::split_members({data, size}));
    if (zip.empty()) return -1;
    cs::ModelFile f;
    try {
        f = cs::load_model_bytes(zip, "fuzz session");
    } catch (const cs::FormatError&) {
        return 0;
    }
    cs::Sequential<float>& model = *f.model;
    std::unique_ptr<cs::Optimizer<float>> optimizer;
    try {
        optimizer = cs::restore_optimizer(f.state, model.parameter_count());
    } catch (const cs::SettingError&) {
        return 0; // unknown optimizer, learning rate out of range
    } catch (const cs::ShapeError&) {
        return 0; // moments of the wrong size
    }
    if (model.activations_per_sample() > (1u << 16)) return 0;

    // Two blank images labelled with the first and last class.
    const cs::Shape& in = model.input_shape();
    const cs::Tensor<float> images(cs::Shape{2, in[0], in[1], in[2]});
    const std::vector<std::uint8_t> labels{0, std::uint8_t(std::min<std::size_t>(model.classes() - 1, 255))};
    try {
        cs::Trainer<float> trainer(model, *optimizer, images, labels,
                                   {f.state.batch_size, f.state.seed, f.state.shuffle});
        trainer.set_progress(f.state.steps, f.state.epoch, f.state.position);
        const cs::StepResult r = trainer.step();
        if (r.batch == 0 || r.batch > 2) std::abort();
    } catch (const cs::ShapeError&) {
        // batch size 0
    } catch (const cs::DivergenceError&) {
        // a learning rate near 10 can do that
    }
    return 0;
}
