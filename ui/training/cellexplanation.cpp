#include "cellexplanation.h"

#include "errors.hpp"
#include "saliency.hpp"

CellAnswer explainCell(const cs::Network<float>& network, const arma::Col<float>& parameters,
                       const cs::Tensor<float>& sample, const CellQuestion& q, cs::Workspace<float>& workspace)
{
    if (q.layer < -1 || q.layer >= int(network.layer_count()))
        throw cs::ShapeError("the network has no layer " + std::to_string(q.layer));
    const cs::Shape& in = network.input_shape();
    if (sample.size() != in.elements()) throw cs::ShapeError("the sample does not fit the network");
    cs::Tensor<float> batch({1, in[0], in[1], in[2]});
    std::copy_n(sample.data(), sample.size(), batch.data());

    CellAnswer a;
    if (!q.gradient) {
        if (q.weight) throw cs::ShapeError("a weight is learned, not computed from the sample");
        if (q.layer < 0) throw cs::ShapeError("the input is the image itself: no layer computed it");
        network.forward(parameters, batch, workspace);
        a.explanation = cs::explain_forward(network, parameters, workspace, std::size_t(q.layer), q.cell);
        if (network.output_shape(std::size_t(q.layer)).rank() == 3)
            a.field = cs::receptive_field(network, std::size_t(q.layer), q.cell[0], q.cell[1]);
        return a;
    }
    if (q.target < 0 || std::size_t(q.target) >= network.classes())
        throw cs::ShapeError("no class to take the gradient for");
    cs::sample_gradients(network, parameters, batch, std::size_t(q.target), workspace);
    if (q.weight) {
        if (q.layer < 0) throw cs::ShapeError("the input has no weights");
        a.explanation = cs::explain_weight_gradient(network, parameters, workspace, std::size_t(q.layer), q.cell);
        return a;
    }
    if (q.layer >= 0 && network.layer(std::size_t(q.layer)).kind().find("pooling2d") != std::string::npos)
        a.onward = cs::explain_forward(network, parameters, workspace, std::size_t(q.layer), q.cell);
    std::size_t layer = std::size_t(q.layer + 1);
    cs::Cell cell = q.cell;
    if (layer >= network.layer_count()) throw cs::ShapeError("the logits' gradient comes from the loss");
    if (network.layer(layer).kind() == "flatten" && layer + 1 < network.layer_count()) {
        const cs::Shape& maps = layer == 0 ? in : network.output_shape(layer - 1);
        if (cell.size() != maps.rank()) throw cs::ShapeError("the cell does not fit the maps");
        std::size_t k = 0;
        for (std::size_t d = 0; d < cell.size(); ++d) {
            if (cell[d] >= maps[d]) throw cs::ShapeError("the cell is outside the maps");
            k = k * maps[d] + cell[d];
        }
        a.flatten = int(layer);
        a.unit = k;
        cell = {k};
        ++layer;
    }
    a.explanation = cs::explain_gradient(network, parameters, workspace, layer, cell);
    return a;
}
