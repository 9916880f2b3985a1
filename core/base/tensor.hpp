// Tensor: an NHWC batch (or any array of rank <= 4) in one contiguous buffer.
//
// Memory is byte for byte a C-ordered NumPy array of the same shape: the last
// axis varies fastest. For an NHWC batch (m, h, w, c) that buffer is, without
// a copy, an Armadillo Mat(c, m*h*w) (a column per pixel) or Mat(h*w*c, m)
// (a column per sample); as_matrix() hands out such views.
#pragma once

#include <armadillo>

#include <array>
#include <cstddef>
#include <initializer_list>
#include <string>

#include "checked_arithmetic.hpp"
#include "errors.hpp"

namespace cs {

// A shape of rank 0..4 that never allocates (steps must not allocate).
class Shape {
public:
    static constexpr std::size_t max_rank = 4;

    Shape() = default;
    Shape(std::initializer_list<std::size_t> dims);

    std::size_t rank() const { return rank_; }
    std::size_t operator[](std::size_t axis) const { return dims_[axis]; }
    std::size_t& operator[](std::size_t axis) { return dims_[axis]; }
    // Number of elements; an empty (rank 0) shape holds none. SizeOverflow
    // when the product does not fit in 64 bits (dims read from a file).
    std::size_t elements() const;
    // "(32, 28, 28, 1)", as NumPy prints it.
    std::string str() const;

    friend bool operator==(const Shape& a, const Shape& b)
    {
        if (a.rank_ != b.rank_) return false;
        for (std::size_t i = 0; i < a.rank_; ++i)
            if (a.dims_[i] != b.dims_[i]) return false;
        return true;
    }

private:
    std::array<std::size_t, max_rank> dims_{};
    std::size_t rank_ = 0;
};

template <typename T>
class Tensor {
public:
    using value_type = T;

    Tensor() = default;
    explicit Tensor(const Shape& shape) : shape_(shape), data_(shape.elements(), arma::fill::zeros) {}
    Tensor(const Shape& shape, arma::Col<T> data) : shape_(shape), data_(std::move(data))
    {
        if (data_.n_elem != shape_.elements())
            throw ShapeError("Tensor: " + std::to_string(data_.n_elem) + " values do not fill shape " + shape_.str());
    }

    // A tensor over memory it does not own (a layer's weights inside the
    // model's one flat parameter vector). It cannot be resized; copying it
    // copies the values into a tensor of its own.
    static Tensor view(T* memory, const Shape& shape) { return Tensor(memory, shape); }

    const Shape& shape() const { return shape_; }
    std::size_t rank() const { return shape_.rank(); }
    std::size_t dim(std::size_t axis) const { return shape_[axis]; }
    std::size_t size() const { return data_.n_elem; }
    bool empty() const { return data_.n_elem == 0; }

    T* data() { return data_.memptr(); }
    const T* data() const { return data_.memptr(); }
    arma::Col<T>& flat() { return data_; }
    const arma::Col<T>& flat() const { return data_; }

    // Gives the tensor a new shape. The buffer is kept when the element count
    // is unchanged, so a step that resizes its outputs to the same shape every
    // time allocates nothing. Contents are unspecified afterwards.
    void resize(const Shape& shape)
    {
        shape_ = shape;
        if (data_.n_elem != shape.elements()) data_.set_size(shape.elements());
    }
    // Same values, another shape of the same size (like numpy.reshape).
    void reshape(const Shape& shape)
    {
        if (shape.elements() != data_.n_elem)
            throw ShapeError("Tensor: cannot reshape " + shape_.str() + " to " + shape.str());
        shape_ = shape;
    }
    void zeros() { data_.zeros(); }

    // A rows x cols Armadillo view of this buffer (column-major): no copy.
    // Only of a tensor one may write: Armadillo has no read-only alias (a
    // const tensor's buffer goes to BLAS directly, gemm.hpp).
    arma::Mat<T> as_matrix(std::size_t rows, std::size_t cols)
    {
        check_view(rows, cols);
        return arma::Mat<T>(data_.memptr(), rows, cols, /*copy_aux_mem*/ false, /*strict*/ true);
    }

    // Element (n, h, w, c) of a rank-4 tensor.
    T& operator()(std::size_t n, std::size_t h, std::size_t w, std::size_t c)
    {
        return data_[((n * shape_[1] + h) * shape_[2] + w) * shape_[3] + c];
    }
    T operator()(std::size_t n, std::size_t h, std::size_t w, std::size_t c) const
    {
        return data_[((n * shape_[1] + h) * shape_[2] + w) * shape_[3] + c];
    }

private:
    Tensor(T* memory, const Shape& shape) : shape_(shape), data_(memory, shape.elements(), false, true) {}

    void check_view(std::size_t rows, std::size_t cols) const
    {
        std::size_t n;
        if (!multiply_fits(rows, cols, n) || n != data_.n_elem)
            throw ShapeError("Tensor: a " + std::to_string(rows) + "x" + std::to_string(cols) +
                             " view does not match shape " + shape_.str());
    }

    Shape shape_;
    arma::Col<T> data_;
};

} // namespace cs
