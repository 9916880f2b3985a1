#include "tensor.hpp"

#include "checked_arithmetic.hpp"

namespace cs {

Shape::Shape(std::initializer_list<std::size_t> dims)
{
    if (dims.size() > max_rank)
        throw ShapeError("Shape: rank " + std::to_string(dims.size()) + " exceeds the maximum of 4");
    for (std::size_t d : dims) dims_[rank_++] = d;
}

std::size_t Shape::elements() const
{
    if (rank_ == 0) return 0;
    // A zero anywhere makes it empty, however large the other dimensions
    // (NumPy's (10^13, 10^6, 0) holds nothing): their product must not be
    // taken first, or it overflows (fuzz_npy found that).
    for (std::size_t i = 0; i < rank_; ++i)
        if (dims_[i] == 0) return 0;
    std::size_t n = 1;
    for (std::size_t i = 0; i < rank_; ++i)
        if (!multiply_fits(n, dims_[i], n))
            throw SizeOverflow("shape " + str() + " has more than 2^64 elements");
    return n;
}

std::string Shape::str() const
{
    std::string s = "(";
    for (std::size_t i = 0; i < rank_; ++i) {
        if (i) s += ", ";
        s += std::to_string(dims_[i]);
    }
    if (rank_ == 1) s += ",";
    return s + ")";
}

} // namespace cs
