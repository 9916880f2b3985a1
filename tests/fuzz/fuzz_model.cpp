// Model files: the fuzzer's members, zipped here (see fuzz_support.hpp), read
// by load_model_bytes. What loads must respect the limits and hold finite
// weights; a small one must run a forward pass, and save and load back the
// same.
#include "fuzz_support.hpp"
#include "loaded_model_check.hpp"

#include "errors.hpp"
#include "model_file.hpp"

#include <cstdlib>
#include <cstring>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::vector<std::byte> zip = fuzz::zip_members(fuzz::split_members({data, size}));
    if (zip.empty()) return -1; // members libzip cannot hold: not a model file at all
    cs::ModelFile f;
    try {
        f = cs::load_model_bytes(zip, "fuzz model");
    } catch (const cs::FormatError&) {
        return 0;
    }
    cs::Sequential<float>& model = *f.model;
    fuzz::check_loaded_model(model);
    if (model.parameter_count() <= (1u << 16)) {
        const std::string path = fuzz::scratch_output();
        cs::save_model(path, model, f.state, f.history);
        const cs::ModelFile back = cs::load_model(path);
        if (back.model->architecture() != model.architecture() ||
            back.model->parameter_count() != model.parameter_count() ||
            std::memcmp(back.model->parameters().memptr(), model.parameters().memptr(),
                        model.parameter_count() * sizeof(float)) != 0 ||
            back.history.loss.size() != f.history.loss.size() || back.history.steps() != f.history.steps() ||
            back.history.loss.steps_per_point() != f.history.loss.steps_per_point() ||
            back.history.evaluations.size() != f.history.evaluations.size())
            std::abort();
    }
    return 0;
}
