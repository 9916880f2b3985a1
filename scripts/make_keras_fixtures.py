#!/usr/bin/python3
"""Keras model files for ConvScope's tests (issue 14), written without Keras.

    /usr/bin/python3 scripts/make_keras_fixtures.py      (python3-numpy, python3-h5py;
                                                          python3-torch for the cross-check)

rewrites tests/data/keras/: the model files a student's Keras can produce
(`model.save('x.h5')` of standalone Keras 2.3.1, of tf.keras 2.10 and of
Keras 3; `model.save('x.keras')` of Keras 3; `model.save_weights('w.h5')` and
`model.to_json()` of tf.keras 2.10), a few it must refuse, and for each one
that should open `<file>.expected.npz` holding
    X  float32 (n, h, w, c)   four inputs in the range the model is meant for
    P  float64 (n, classes)   the model's output for them.

Why: there is no TensorFlow or Keras on this machine and none can be
installed, so the files are written with h5py by making the calls Keras makes,
in the order it makes them. Every layout below was read in Keras' own source
(tags of github.com/keras-team/keras; the file and function are named at each
writer) rather than guessed; tests/data/keras/README.md lists the files and
what was surprising. One thing to know before reading: which HDF5 string type
an attribute gets is decided by h5py, not by Keras. A Python `bytes` or `str`
scalar becomes a variable-length string (ASCII or UTF-8) in every h5py since
2.1; a list of bytes becomes a fixed-length array in h5py 2.x but a
variable-length ASCII array in h5py >= 3.0; a NumPy 'S' array (what Keras
writes when it splits a long list) stays fixed-length in both. Each writer
says which h5py its Keras version was used with.

P comes from a forward pass in float64 written here from the layer semantics
(NHWC; TensorFlow's 'same' padding with the odd pixel at the bottom/right;
pooling never pads; Flatten in (h, w, c) order; Dense x @ W + b; Dropout is
the identity; softmax last), applied to the float32 weights as stored. The
script then checks itself twice: it reads every file back the way Keras'
loader does (the config JSON decides the layers; the weights are found by
layer_names / weight_names in .h5 files and by class-name counters in .keras
files) and recomputes P from what it read, and, when PyTorch is importable,
it recomputes every P with torch.nn.functional in float64 (NCHW, F.pad for
'same') and requires agreement to 1e-12.

Everything is deterministic (fixed seeds, fixed zip dates): rerunning the
script reproduces the files byte for byte.
"""
import gzip
import importlib.util
import io
import json
import os
import struct
import zipfile

import h5py
import numpy as np

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..')
OUT = os.path.join(ROOT, 'tests', 'data', 'keras')
HDF5_OBJECT_HEADER_LIMIT = 64512  # Keras' limit for one attribute (all versions)
ZIP_DATE = (2025, 1, 2, 3, 4, 6)   # the date Keras would stamp on model.weights.h5 (fixed here)


# --------------------------------------------------------------------------
# A model, independent of any Keras version: layers with their parameters and
# float32 weights in Keras' order and shapes.

class Layer:
    def __init__(self, kind, name, **p):
        self.kind, self.name, self.p = kind, name, p
        self.weights = []       # float32 arrays, Keras order (kernel, bias / gamma, beta, mean, var)
        self.in_shape = None    # (h, w, c) or (n,), without the batch axis
        self.out_shape = None


def conv_out(size, k, s, padding):
    return -(-size // s) if padding == 'same' else (size - k) // s + 1


def same_pads(size, k, s):
    """(before, after) of TensorFlow's 'same' padding along one axis."""
    out = -(-size // s)
    total = max((out - 1) * s + k - size, 0)
    return total // 2, total - total // 2


def infer_shapes(input_shape, layers):
    shape = tuple(input_shape)
    for L in layers:
        L.in_shape = shape
        k, p = L.kind, L.p
        if k == 'Conv2D':
            h, w, _ = shape
            shape = (conv_out(h, p['kernel'][0], p['strides'][0], p['padding']),
                     conv_out(w, p['kernel'][1], p['strides'][1], p['padding']), p['filters'])
        elif k == 'Conv2DTranspose':
            h, w, _ = shape
            shape = (h * p['strides'][0], w * p['strides'][1], p['filters'])  # 'same' only
        elif k in ('MaxPooling2D', 'AveragePooling2D'):
            h, w, c = shape
            shape = ((h - p['pool'][0]) // p['strides'][0] + 1, (w - p['pool'][1]) // p['strides'][1] + 1, c)
        elif k == 'ZeroPadding2D':
            (t, b), (l, r) = p['padding']
            shape = (shape[0] + t + b, shape[1] + l + r, shape[2])
        elif k == 'Flatten':
            shape = (int(np.prod(shape)),)
        elif k == 'Dense':
            shape = (p['units'],)
        L.out_shape = shape
    return shape


def init_weights(rng, layers):
    """Glorot-uniform kernels and small non-zero biases, float32."""
    for L in layers:
        k, p = L.kind, L.p
        if k in ('Conv2D', 'Conv2DTranspose', 'Dense'):
            if k == 'Dense':
                shape = (L.in_shape[0], p['units'])
                fan_in, fan_out = shape
            else:
                kh, kw = p['kernel']
                cin = L.in_shape[2]
                shape = (kh, kw, cin, p['filters']) if k == 'Conv2D' else (kh, kw, p['filters'], cin)
                fan_in, fan_out = kh * kw * cin, kh * kw * p['filters']
            lim = np.sqrt(6.0 / (fan_in + fan_out))
            L.weights = [rng.uniform(-lim, lim, shape).astype(np.float32)]
            if p.get('use_bias', True):
                L.weights.append(rng.uniform(-0.1, 0.1, shape[-1] if k != 'Conv2DTranspose' else p['filters'])
                                 .astype(np.float32))
        elif k == 'BatchNormalization':
            c = L.in_shape[-1]
            L.weights = [rng.uniform(0.5, 1.5, c).astype(np.float32), rng.uniform(-0.2, 0.2, c).astype(np.float32),
                         rng.uniform(-0.2, 0.2, c).astype(np.float32), rng.uniform(0.5, 1.5, c).astype(np.float32)]


# --------------------------------------------------------------------------
# The reference forward pass, NumPy float64.

def act_np(x, a):
    if a == 'linear':
        return x
    if a == 'relu':
        return np.maximum(x, 0.0)
    if a == 'tanh':
        return np.tanh(x)
    if a == 'sigmoid':
        return 1.0 / (1.0 + np.exp(-x))
    if a == 'softmax':
        e = np.exp(x - x.max(axis=-1, keepdims=True))
        return e / e.sum(axis=-1, keepdims=True)
    raise ValueError(a)


def conv_np(x, W, b, strides, padding):
    kh, kw = W.shape[:2]
    sh, sw = strides
    n, h, w, _ = x.shape
    if padding == 'same':
        (t, bo), (l, r) = same_pads(h, kh, sh), same_pads(w, kw, sw)
        x = np.pad(x, ((0, 0), (t, bo), (l, r), (0, 0)))
    oh, ow = conv_out(h, kh, sh, padding), conv_out(w, kw, sw, padding)
    z = np.zeros((n, oh, ow, W.shape[3]))
    for i in range(kh):
        for j in range(kw):
            z += x[:, i:i + sh * (oh - 1) + 1:sh, j:j + sw * (ow - 1) + 1:sw, :] @ W[i, j].astype(np.float64)
    if b is not None:
        z += b.astype(np.float64)
    return z


def pool_np(x, pool, strides, kind):
    ph, pw = pool
    sh, sw = strides
    n, h, w, c = x.shape
    oh, ow = (h - ph) // sh + 1, (w - pw) // sw + 1
    windows = [x[:, i:i + sh * (oh - 1) + 1:sh, j:j + sw * (ow - 1) + 1:sw, :] for i in range(ph) for j in range(pw)]
    return np.max(windows, axis=0) if kind == 'MaxPooling2D' else np.mean(windows, axis=0)


def forward_np(layers, X):
    """layers: [(kind, params, weights)] of a chain."""
    a = X.astype(np.float64)
    for kind, p, W in layers:
        if kind == 'Conv2D':
            a = act_np(conv_np(a, W[0], W[1] if len(W) > 1 else None, p['strides'], p['padding']), p['activation'])
        elif kind in ('MaxPooling2D', 'AveragePooling2D'):
            a = pool_np(a, p['pool'], p['strides'], kind)
        elif kind == 'Flatten':
            a = a.reshape(a.shape[0], -1)  # (h, w, c) order: NHWC is row-major
        elif kind == 'Dense':
            a = a @ W[0].astype(np.float64)
            if len(W) > 1:
                a = a + W[1].astype(np.float64)
            a = act_np(a, p['activation'])
        elif kind == 'Dropout':
            pass
        elif kind == 'Activation':
            a = act_np(a, p['activation'])
        elif kind == 'ReLU':
            a = np.maximum(a, 0.0)
        elif kind == 'Rescaling':
            a = a * p['scale'] + p['offset']
        elif kind == 'ZeroPadding2D':
            (t, b), (l, r) = p['padding']
            a = np.pad(a, ((0, 0), (t, b), (l, r), (0, 0)))
        else:
            raise ValueError('no forward pass for ' + kind)
    return a


def forward_torch(layers, X):
    """The same chain in PyTorch, float64, NCHW."""
    import torch
    import torch.nn.functional as F
    t = torch.tensor(X.astype(np.float64)).permute(0, 3, 1, 2)
    for kind, p, W in layers:
        if kind == 'Conv2D':
            Wt = torch.tensor(W[0].astype(np.float64)).permute(3, 2, 0, 1)
            bt = torch.tensor(W[1].astype(np.float64)) if len(W) > 1 else None
            if p['padding'] == 'same':
                (tp, bp), (lp, rp) = (same_pads(t.shape[2], W[0].shape[0], p['strides'][0]),
                                      same_pads(t.shape[3], W[0].shape[1], p['strides'][1]))
                t = F.pad(t, (lp, rp, tp, bp))
            t = F.conv2d(t, Wt, bt, stride=tuple(p['strides']))
            t = act_torch(t, p['activation'], 1)
        elif kind == 'MaxPooling2D':
            t = F.max_pool2d(t, tuple(p['pool']), tuple(p['strides']))
        elif kind == 'AveragePooling2D':
            t = F.avg_pool2d(t, tuple(p['pool']), tuple(p['strides']))
        elif kind == 'Flatten':
            t = t.permute(0, 2, 3, 1).reshape(t.shape[0], -1)
        elif kind == 'Dense':
            t = F.linear(t, torch.tensor(W[0].astype(np.float64)).T,
                         torch.tensor(W[1].astype(np.float64)) if len(W) > 1 else None)
            t = act_torch(t, p['activation'], -1)
        elif kind == 'Dropout':
            pass
        elif kind == 'Activation':
            t = act_torch(t, p['activation'], 1)
        elif kind == 'ReLU':
            t = F.relu(t)
        elif kind == 'Rescaling':
            t = t * p['scale'] + p['offset']
        elif kind == 'ZeroPadding2D':
            (tp, bp), (lp, rp) = p['padding']
            t = F.pad(t, (lp, rp, tp, bp))
    return t.detach().numpy()


def act_torch(t, a, dim):
    import torch
    return {'linear': lambda: t, 'relu': lambda: torch.relu(t), 'tanh': lambda: torch.tanh(t),
            'sigmoid': lambda: torch.sigmoid(t), 'softmax': lambda: torch.softmax(t, dim=dim)}[a]()


def chain(layers):
    return [(L.kind, L.p, L.weights) for L in layers]


# --------------------------------------------------------------------------
# Layer configs, one builder per Keras version, each a copy of that version's
# get_config() (keys in the order Keras puts them; json.dumps keeps it).

def t2(v):
    return [int(v[0]), int(v[1])]


# Keras 2.3.1: keras/engine/base_layer.py Layer.get_config (name, trainable,
# batch_input_shape if given, dtype), keras/layers/convolutional.py _Conv.get_config
# (rank popped by Conv2D), keras/layers/pooling.py _Pooling2D, keras/layers/core.py
# Flatten / Dense; 'glorot_uniform' is a function returning
# VarianceScaling(1.0, 'fan_avg', 'uniform') in keras/initializers.py.
K231_GLOROT = {'class_name': 'VarianceScaling',
               'config': {'scale': 1.0, 'mode': 'fan_avg', 'distribution': 'uniform', 'seed': None}}
K231_ZEROS = {'class_name': 'Zeros', 'config': {}}


def config_k231(L, batch_input_shape=None):
    c = {'name': L.name, 'trainable': True}
    if batch_input_shape:
        c['batch_input_shape'] = batch_input_shape
    c['dtype'] = 'float32'
    p = L.p
    if L.kind == 'Conv2D':
        c.update({'filters': p['filters'], 'kernel_size': t2(p['kernel']), 'strides': t2(p['strides']),
                  'padding': p['padding'], 'data_format': 'channels_last', 'dilation_rate': [1, 1],
                  'activation': p['activation'], 'use_bias': p.get('use_bias', True),
                  'kernel_initializer': K231_GLOROT, 'bias_initializer': K231_ZEROS,
                  'kernel_regularizer': None, 'bias_regularizer': None, 'activity_regularizer': None,
                  'kernel_constraint': None, 'bias_constraint': None})
    elif L.kind == 'MaxPooling2D':
        c.update({'pool_size': t2(p['pool']), 'padding': 'valid', 'strides': t2(p['strides']),
                  'data_format': 'channels_last'})
    elif L.kind == 'Flatten':
        c['data_format'] = 'channels_last'
    elif L.kind == 'Dense':
        c.update({'units': p['units'], 'activation': p['activation'], 'use_bias': True,
                  'kernel_initializer': K231_GLOROT, 'bias_initializer': K231_ZEROS,
                  'kernel_regularizer': None, 'bias_regularizer': None, 'activity_regularizer': None,
                  'kernel_constraint': None, 'bias_constraint': None})
    else:
        raise ValueError(L.kind)
    return {'class_name': L.kind, 'config': c}


# tf.keras 2.10 (keras-team/keras tag v2.10.0): keras/engine/base_layer.py
# Layer.get_config (name, trainable, batch_input_shape if given, dtype as the
# policy's name), keras/layers/convolutional/base_conv.py (groups is new since
# 2.2), pooling/base_pooling2d.py, reshaping/flatten.py, core/dense.py,
# regularization/dropout.py, preprocessing/image_preprocessing.py Rescaling,
# normalization/batch_normalization.py, engine/input_layer.py InputLayer;
# initializers are {"class_name": "GlorotUniform", "config": {"seed": null}}.
TFK_GLOROT = {'class_name': 'GlorotUniform', 'config': {'seed': None}}
TFK_ZEROS = {'class_name': 'Zeros', 'config': {}}
TFK_ONES = {'class_name': 'Ones', 'config': {}}
REG_NONE = {'kernel_regularizer': None, 'bias_regularizer': None, 'activity_regularizer': None,
            'kernel_constraint': None, 'bias_constraint': None}


def config_tfk(L, batch_input_shape=None):
    p = L.p
    if L.kind == 'InputLayer':
        return {'class_name': 'InputLayer',
                'config': {'batch_input_shape': [None] + list(p['shape']), 'dtype': 'float32', 'sparse': False,
                           'ragged': False, 'name': L.name}}
    c = {'name': L.name, 'trainable': True}
    if batch_input_shape:
        c['batch_input_shape'] = batch_input_shape
    c['dtype'] = 'float32'
    if L.kind == 'Conv2D':
        c.update({'filters': p['filters'], 'kernel_size': t2(p['kernel']), 'strides': t2(p['strides']),
                  'padding': p['padding'], 'data_format': 'channels_last', 'dilation_rate': [1, 1], 'groups': 1,
                  'activation': p['activation'], 'use_bias': p.get('use_bias', True),
                  'kernel_initializer': TFK_GLOROT, 'bias_initializer': TFK_ZEROS, **REG_NONE})
    elif L.kind in ('MaxPooling2D', 'AveragePooling2D'):
        c.update({'pool_size': t2(p['pool']), 'padding': 'valid', 'strides': t2(p['strides']),
                  'data_format': 'channels_last'})
    elif L.kind == 'Flatten':
        c['data_format'] = 'channels_last'
    elif L.kind == 'Dense':
        c.update({'units': p['units'], 'activation': p['activation'], 'use_bias': True,
                  'kernel_initializer': TFK_GLOROT, 'bias_initializer': TFK_ZEROS, **REG_NONE})
    elif L.kind == 'Dropout':
        c.update({'rate': p['rate'], 'noise_shape': None, 'seed': None})
    elif L.kind == 'Rescaling':
        c.update({'scale': p['scale'], 'offset': p['offset']})
    elif L.kind == 'BatchNormalization':
        c.update({'axis': [3], 'momentum': 0.99, 'epsilon': 0.001, 'center': True, 'scale': True,
                  'beta_initializer': TFK_ZEROS, 'gamma_initializer': TFK_ONES,
                  'moving_mean_initializer': TFK_ZEROS, 'moving_variance_initializer': TFK_ONES,
                  'beta_regularizer': None, 'gamma_regularizer': None, 'beta_constraint': None,
                  'gamma_constraint': None})
    elif L.kind == 'Add':
        pass
    else:
        raise ValueError(L.kind)
    return {'class_name': L.kind, 'config': c}


# Keras 3 (keras/src/ops/operation.py + keras/src/layers/layer.py get_config:
# name, trainable, dtype as a serialized DTypePolicy since 3.4; the layer files
# under keras/src/layers/; keras/src/saving/serialization_lib.py for the
# module / class_name / config / registered_name / build_config wrapping).
K3_DTYPE = {'module': 'keras', 'class_name': 'DTypePolicy', 'config': {'name': 'float32'}, 'registered_name': None}
K3_GLOROT = {'module': 'keras.initializers', 'class_name': 'GlorotUniform', 'config': {'seed': None},
             'registered_name': None}
K3_ZEROS = {'module': 'keras.initializers', 'class_name': 'Zeros', 'config': {}, 'registered_name': None}
K3_BUILT_AT_INIT = {  # Layer._build_at_init() in __init__ (not in 3.5.0): no build_config
    '3.5.0': (),
    '3.10.0': ('MaxPooling2D', 'AveragePooling2D', 'Activation', 'ReLU', 'Dropout'),
}


def config_k3(L, version):
    """The inner `config` dict of a layer: Layer.get_config() of Keras `version`."""
    p = L.p
    if L.kind == 'InputLayer':  # keras/src/layers/core/input_layer.py: its dtype stays a plain string
        c = {'batch_shape': [None] + list(p['shape']), 'dtype': 'float32', 'sparse': False}
        if version != '3.5.0':
            c['ragged'] = False  # InputLayer.get_config has "ragged" in 3.10.0, not in 3.5.0
        c['name'] = L.name
        return c
    c = {'name': L.name, 'trainable': True, 'dtype': K3_DTYPE}
    if L.kind in ('Conv2D', 'Conv2DTranspose'):
        c.update({'filters': p['filters'], 'kernel_size': t2(p['kernel']), 'strides': t2(p['strides']),
                  'padding': p['padding'], 'data_format': 'channels_last', 'dilation_rate': [1, 1]})
        if L.kind == 'Conv2D':
            c['groups'] = 1  # base_conv.py; base_conv_transpose.py has no groups
        c.update({'activation': p['activation'], 'use_bias': p.get('use_bias', True),
                  'kernel_initializer': K3_GLOROT, 'bias_initializer': K3_ZEROS, **REG_NONE})
    elif L.kind in ('MaxPooling2D', 'AveragePooling2D'):
        c.update({'pool_size': t2(p['pool']), 'padding': 'valid', 'strides': t2(p['strides']),
                  'data_format': 'channels_last'})
    elif L.kind == 'Flatten':
        c['data_format'] = 'channels_last'
    elif L.kind == 'ZeroPadding2D':
        c.update({'padding': [list(p['padding'][0]), list(p['padding'][1])], 'data_format': 'channels_last'})
    elif L.kind == 'Dense':  # core/dense.py: no activity_regularizer key
        c.update({'units': p['units'], 'activation': p['activation'], 'use_bias': True,
                  'kernel_initializer': K3_GLOROT, 'bias_initializer': K3_ZEROS, 'kernel_regularizer': None,
                  'bias_regularizer': None, 'kernel_constraint': None, 'bias_constraint': None})
    elif L.kind == 'Activation':
        c['activation'] = p['activation']
    elif L.kind == 'ReLU':
        c.update({'max_value': None, 'negative_slope': 0.0, 'threshold': 0.0})
    else:
        raise ValueError(L.kind)
    return c


def serialized_k3(L, version):
    """serialization_lib.serialize_keras_object(layer): what a .keras config.json holds."""
    d = {'module': 'keras.layers', 'class_name': L.kind, 'config': config_k3(L, version), 'registered_name': None}
    if L.kind != 'InputLayer' and L.kind not in K3_BUILT_AT_INIT[version]:
        d['build_config'] = {'input_shape': [None] + list(L.in_shape)}
    return d


# --------------------------------------------------------------------------
# HDF5 helpers: the calls Keras makes.

def save_attributes_to_hdf5_group(group, name, data, list_as_array=False, chunks=None):
    """Keras' save_attributes_to_hdf5_group (identical in 2.3.1, 2.10 and 3.x).

    `data` is a list of bytes. Lists over HDF5_OBJECT_HEADER_LIMIT bytes go in
    chunks name0, name1... of np.array_split (NumPy 'S' arrays, so fixed-length
    strings whatever the h5py). `chunks` forces a split (Keras never does for
    short lists). `list_as_array` gives what h5py 2.x made of a list of bytes
    (numpy.asarray: a fixed-length 'S' array); h5py >= 3.0, given the list
    itself, makes a variable-length ASCII array. An empty list is
    numpy.asarray([]): float64, shape (0,), in both."""
    data_npy = np.asarray(data)
    num_chunks = 1
    chunked = np.array_split(data_npy, num_chunks)
    while any(x.nbytes > HDF5_OBJECT_HEADER_LIMIT for x in chunked):
        num_chunks += 1
        chunked = np.array_split(data_npy, num_chunks)
    if chunks:
        num_chunks, chunked = chunks, np.array_split(data_npy, chunks)
    if num_chunks > 1:
        for i, chunk in enumerate(chunked):
            group.attrs['%s%d' % (name, i)] = chunk
    else:
        group.attrs[name] = data_npy if (list_as_array and len(data)) else data


def write_dataset(group, name, val):
    """create_dataset(name, val.shape, dtype=val.dtype) then [:] or [()] = val, as every
    Keras h5 writer does. A name with '/' (all Keras weight names) makes nested groups."""
    d = group.create_dataset(name, val.shape, dtype=val.dtype)
    if not val.shape:
        d[()] = val
    else:
        d[:] = val


def dumps(obj):
    return json.dumps(obj)  # Keras calls json.dumps with default separators everywhere


# --------------------------------------------------------------------------
# Writers, one per layout.

def write_keras231_h5(path, model_name, layers, training_config, split_layer_names):
    """Keras 2.3.1 `model.save('x.h5')`: keras/engine/saving.py _serialize_model through
    keras/utils/io_utils.py H5Dict (tag 2.3.1), written by h5py 2.10 (current then):
      root attrs keras_version, backend, model_config, training_config: bytes, which h5py
        (2.1 onwards, base.guess_dtype) stores as variable-length ASCII scalars;
      model_weights attrs layer_names (list of bytes: h5py 2.x makes a fixed-length
        NULLPAD 'S' array), backend, keras_version (bytes: vlen ASCII);
      model_weights/<layer> attr weight_names (list of bytes; [] for a weightless
        layer: float64 shape (0,)); datasets at model_weights/<layer>/<weight name>,
        e.g. model_weights/conv2d_1/conv2d_1/kernel:0.
    No optimizer_weights: the model was compiled but not trained, so the optimizer has
    no weights yet (`if symbolic_weights:` in _serialize_model) - training_config only."""
    model_config = {'class_name': 'Sequential',
                    'config': {'name': model_name,
                               'layers': [config_k231(L, [None] + list(L.in_shape) if i == 0 else None)
                                          for i, L in enumerate(layers)]}}
    with h5py.File(path, 'w') as f:
        f.attrs['keras_version'] = b'2.3.1'
        f.attrs['backend'] = b'tensorflow'
        f.attrs['model_config'] = dumps(model_config).encode('utf-8')
        mw = f.create_group('model_weights')
        save_attributes_to_hdf5_group(mw, 'layer_names', [L.name.encode('utf8') for L in layers],
                                      list_as_array=True, chunks=2 if split_layer_names else None)
        mw.attrs['backend'] = b'tensorflow'
        mw.attrs['keras_version'] = b'2.3.1'
        for L in layers:
            g = mw.create_group(L.name)
            names = [('%s/%s:0' % (L.name, w)).encode('utf8') for w in weight_suffixes(L)]
            # H5Dict.__setitem__ with a list: attrs[...] = the list itself (h5py 2.x: 'S' array)
            save_attributes_to_hdf5_group(g, 'weight_names', names, list_as_array=True)
            for name, val in zip(names, L.weights):
                write_dataset(g, name, val)
        f.attrs['training_config'] = dumps(training_config).encode('utf8')


def weight_suffixes(L):
    if L.kind == 'BatchNormalization':
        return ['gamma', 'beta', 'moving_mean', 'moving_variance']
    return ['kernel', 'bias'][:len(L.weights)]


def write_tfk_weights(group, layers):
    """keras/saving/hdf5_format.py save_weights_to_hdf5_group, tf.keras 2.10 (tag v2.10.0),
    with h5py 3.x (TF 2.10 was used with h5py 3.7): layer_names and weight_names are lists
    of bytes, so variable-length ASCII arrays; backend / keras_version bytes, so vlen ASCII.
    Layer groups are made in name order; an extra group top_level_model_weights holds the
    model's own weights (none: weight_names = [] -> float64 (0,)) and is not in layer_names."""
    save_attributes_to_hdf5_group(group, 'layer_names', [L.name.encode('utf8') for L in layers])
    group.attrs['backend'] = b'tensorflow'
    group.attrs['keras_version'] = b'2.10.0'
    for L in sorted(layers, key=lambda x: x.name):
        g = group.create_group(L.name)
        names = [('%s/%s:0' % (L.name, w)).encode('utf8') for w in weight_suffixes(L)]
        save_attributes_to_hdf5_group(g, 'weight_names', names)
        for name, val in zip(names, L.weights):
            write_dataset(g, name, val)
    g = group.create_group('top_level_model_weights')
    save_attributes_to_hdf5_group(g, 'weight_names', [])


def write_tfk_model_h5(path, model_config, weight_layers, training_config=None, optimizer_weights=None):
    """tf.keras 2.10 `model.save('x.h5')`: keras/saving/hdf5_format.py save_model_to_hdf5
    and keras/saving/saving_utils.py model_metadata (tag v2.10.0), h5py 3.x:
      root attrs keras_version '2.10.0' and backend 'tensorflow' are str -> variable-length
        UTF-8; model_config and training_config are json.dumps(...).encode('utf8') ->
        bytes -> variable-length ASCII (not UTF-8, not fixed-length);
      model_weights as in write_tfk_weights;
      optimizer_weights (when trained): attr weight_names, datasets at
        optimizer_weights/<weight name>, e.g. optimizer_weights/Adam/iter:0."""
    with h5py.File(path, 'w') as f:
        f.attrs['keras_version'] = '2.10.0'
        f.attrs['backend'] = 'tensorflow'
        f.attrs['model_config'] = dumps(model_config).encode('utf8')
        if training_config is not None:
            f.attrs['training_config'] = dumps(training_config).encode('utf8')
        write_tfk_weights(f.create_group('model_weights'), weight_layers)
        if optimizer_weights:
            g = f.create_group('optimizer_weights')
            names = [n.encode('utf8') for n, _ in optimizer_weights]
            save_attributes_to_hdf5_group(g, 'weight_names', names)
            for name, (_, val) in zip(names, optimizer_weights):
                write_dataset(g, name, val)


def tfk_sequential_config(name, input_layer, layers, first_has_input_shape):
    """keras/engine/sequential.py Sequential.get_config (v2.10.0): the InputLayer is in
    the config (super().layers) though not in model.layers / layer_names."""
    cfgs = [config_tfk(input_layer)]
    for i, L in enumerate(layers):
        bis = [None] + list(input_layer.p['shape']) if (i == 0 and first_has_input_shape) else None
        cfgs.append(config_tfk(L, bis))
    return {'class_name': 'Sequential', 'config': {'name': name, 'layers': cfgs}}


def tfk_functional_config(name, layers, inbound):
    """keras/engine/functional.py get_network_config (v2.10.0): each layer's serialized
    config plus "name" and "inbound_nodes" ([[[layer, node, tensor, kwargs], ...]]);
    input_layers / output_layers always a list of [name, node, tensor] triples."""
    cfgs = []
    for L in layers:
        d = config_tfk(L)
        d['name'] = L.name
        d['inbound_nodes'] = [] if L.kind == 'InputLayer' else [[[src, 0, 0, {}] for src in inbound[L.name]]]
        cfgs.append(d)
    return {'class_name': 'Functional',
            'config': {'name': name, 'layers': cfgs, 'input_layers': [[layers[0].name, 0, 0]],
                       'output_layers': [[layers[-1].name, 0, 0]]}}


def write_keras3_h5(path, model_name, input_layer, layers, version):
    """Keras 3 `model.save('x.h5')`: keras/src/legacy/saving/legacy_h5_format.py
    save_model_to_hdf5 (tag v3.10.0; the same since 3.0). The config is made inside
    keras_option_scope(use_legacy_config=True): Sequential.get_config then serializes its
    layers with keras/src/legacy/saving/serialization.py, i.e. {"class_name", "config"}
    only - no module, registered_name or build_config per layer - while each layer's own
    get_config still gives Keras 3 values (dtype a DTypePolicy dict, InputLayer
    batch_shape, initializers with module / registered_name). Weight names are the
    variables' paths, "sequential/conv2d/kernel" (no ':0'), so the datasets sit at
    model_weights/conv2d/sequential/conv2d/kernel. Strings as with tf.keras + h5py 3."""
    config = {'name': model_name, 'trainable': True, 'dtype': K3_DTYPE,
              'layers': [{'class_name': L.kind, 'config': config_k3(L, version)} for L in [input_layer] + layers],
              'build_input_shape': [None] + list(input_layer.p['shape'])}
    with h5py.File(path, 'w') as f:
        f.attrs['keras_version'] = version
        f.attrs['backend'] = 'tensorflow'
        f.attrs['model_config'] = dumps({'class_name': 'Sequential', 'config': config}).encode('utf8')
        mw = f.create_group('model_weights')
        save_attributes_to_hdf5_group(mw, 'layer_names', [L.name.encode('utf8') for L in layers])
        mw.attrs['backend'] = b'tensorflow'
        mw.attrs['keras_version'] = version.encode('utf8')
        for L in sorted(layers, key=lambda x: x.name):
            g = mw.create_group(L.name)
            names = [('%s/%s/%s' % (model_name, L.name, w)).encode('utf8') for w in weight_suffixes(L)]
            save_attributes_to_hdf5_group(g, 'weight_names', names)
            for name, val in zip(names, L.weights):
                write_dataset(g, name, val)
        g = mw.create_group('top_level_model_weights')
        save_attributes_to_hdf5_group(g, 'weight_names', [])


def snake(name):
    """keras/src/utils/naming.py to_snake_case."""
    import re
    name = re.sub(r'\W+', '', name)
    name = re.sub('(.)([A-Z][a-z]+)', r'\1_\2', name)
    return re.sub('([a-z])([A-Z])', r'\1_\2', name).lower()


def container_paths(layers):
    """saving_lib._save_container_state: a layer's path inside "layers" is its snake_case
    class name, then _1, _2... for the next ones of the same class (names ignored)."""
    used, out = {}, []
    for L in layers:
        n = snake(L.kind)
        if n in used:
            used[n] += 1
            n = '%s_%d' % (n, used[n])
        else:
            used[n] = 0
        out.append('layers/' + n)
    return out


def write_keras3_zip(path, version, config, saved_layers, model_name, optimizer=None):
    """Keras 3 `model.save('x.keras')`: keras/src/saving/saving_lib.py
    _save_model_to_fileobj (tags v3.5.0, v3.10.0). zipfile.ZipFile(f, "w") with its
    default ZIP_STORED (no compression) for every member, in this order:
    metadata.json and config.json (zf.open(name, "w"): ZipInfo's default 1980-01-01
    date), then model.weights.h5 (writestr of an in-memory h5py file, stamped with the
    time of saving: fixed here). An empty assets/ directory adds no member.
    The weights file (_save_state, H5IOStore): the model's own variables in /vars, each
    layer of model.layers at layers/<container path>/vars/0, 1... (Layer.save_own_variables:
    kernel, bias), the optimizer's at optimizer/vars/0... A `vars` group is made for
    every layer, weightless or not. Since 3.6.0 each `vars` group carries an attribute
    name = the object's name (a str: variable-length UTF-8); 3.5.0 writes none."""
    buf = io.BytesIO()
    with h5py.File(buf, 'w') as h:
        with_names = version != '3.5.0'

        def vars_group(p, name):
            g = h.create_group('vars') if not p else h.create_group(p).create_group('vars')
            if with_names:
                g.attrs['name'] = name
            return g

        vars_group('', model_name)
        for L, p in zip(saved_layers, container_paths(saved_layers)):
            g = vars_group(p, L.name)
            for i, w in enumerate(L.weights):
                g[str(i)] = w
        if optimizer:
            g = vars_group('optimizer', optimizer[0])
            for i, w in enumerate(optimizer[1]):
                g[str(i)] = w
    metadata = {'keras_version': version, 'date_saved': '%04d-%02d-%02d@%02d:%02d:%02d' % ZIP_DATE}
    with zipfile.ZipFile(path, 'w') as zf:
        with zf.open('metadata.json', 'w') as f:
            f.write(dumps(metadata).encode())
        with zf.open('config.json', 'w') as f:
            f.write(dumps(config).encode())
        info = zipfile.ZipInfo('model.weights.h5', date_time=ZIP_DATE)
        info.compress_type = zipfile.ZIP_STORED
        info.external_attr = 0o600 << 16  # what writestr gives a member named by a str
        zf.writestr(info, buf.getvalue())


def k3_sequential_config(version, name, input_layer, layers, compile_config=None):
    """serialize_keras_object(Sequential) (serialization_lib + models/sequential.py):
    model-level build_config from Sequential.build(input_shape); compile_config is the
    serialized compile() arguments when compiled, {} when not in 3.10.0 (Trainer.
    get_compile_config returns {}), absent when not in 3.5.0 (it returns None)."""
    d = {'module': 'keras', 'class_name': 'Sequential',
         'config': {'name': name, 'trainable': True, 'dtype': K3_DTYPE,
                    'layers': [serialized_k3(L, version) for L in [input_layer] + layers],
                    'build_input_shape': [None] + list(input_layer.p['shape'])},
         'registered_name': None,
         'build_config': {'input_shape': [None] + list(input_layer.p['shape'])}}
    if compile_config is not None:
        d['compile_config'] = compile_config
    elif version != '3.5.0':
        d['compile_config'] = {}
    return d


def k3_functional_config(version, name, layers):
    """serialize_keras_object(Functional) (v3.10.0): Functional is not exported, so
    module "keras.src.models.functional" and registered_name "Functional"; its config is
    name, trainable, layers, input_layers, output_layers (models/functional.py get_config),
    each layer serialized and given "name" and "inbound_nodes": a list of {"args", "kwargs"}
    with the inputs as __keras_tensor__ dicts (serialize_node). For a model built from
    single tensors, get_config's map_tensors gives input_layers / output_layers as a list
    holding one [name, 0, 0] triple in 3.4.0 to 3.10.x, but the bare triple
    ["input_layer", 0, 0] in 3.0 to 3.3 and again from 3.11.0 (commit 4d33a9acb7).
    build_config is {"input_shape": null} (Functional.__init__ calls self.build(None))."""
    cfgs = []
    for i, L in enumerate(layers):
        d = serialized_k3(L, version)
        d['name'] = L.name
        if i == 0:
            d['inbound_nodes'] = []
        else:
            src = layers[i - 1]
            d['inbound_nodes'] = [{'args': [{'class_name': '__keras_tensor__',
                                             'config': {'shape': [None] + list(L.in_shape), 'dtype': 'float32',
                                                        'keras_history': [src.name, 0, 0]}}],
                                   'kwargs': {}}]
        cfgs.append(d)
    return {'module': 'keras.src.models.functional', 'class_name': 'Functional',
            'config': {'name': name, 'trainable': True, 'layers': cfgs,
                       'input_layers': [[layers[0].name, 0, 0]], 'output_layers': [[layers[-1].name, 0, 0]]},
            'registered_name': 'Functional', 'build_config': {'input_shape': None}, 'compile_config': {}}


# --------------------------------------------------------------------------
# Optimizer state and training configs (what a trained model carries; readers skip it).

def tfk_adam_weights(rng, layers, iterations):
    """optimizer_v2 Adam (tf.keras 2.10 default): weights = [iter] + m of every trainable
    variable + v of every trainable variable (adam.py _create_slots: two loops), named
    Adam/iter:0, Adam/<variable>/m:0, Adam/<variable>/v:0."""
    var = [(L.name, w, W) for L in layers for w, W in zip(weight_suffixes(L), L.weights)]
    out = [('Adam/iter:0', np.array(iterations, dtype=np.int64))]
    out += [('Adam/%s/%s/m:0' % (n, w), rng.normal(0, 1e-3, W.shape).astype(np.float32)) for n, w, W in var]
    out += [('Adam/%s/%s/v:0' % (n, w), rng.uniform(0, 1e-5, W.shape).astype(np.float32)) for n, w, W in var]
    return out


def k3_adam_variables(rng, layers, iterations):
    """Keras 3 Adam.variables (base_optimizer.py + adam.py build): iteration (int64 with
    the TensorFlow backend), learning_rate (float32), then momentum and velocity of each
    trainable variable, interleaved."""
    out = [np.array(iterations, dtype=np.int64), np.array(0.001, dtype=np.float32)]
    for L in layers:
        for W in L.weights:
            out += [rng.normal(0, 1e-3, W.shape).astype(np.float32), rng.uniform(0, 1e-5, W.shape).astype(np.float32)]
    return out


K231_TRAINING_CONFIG = {  # saving.py _serialize_model; optimizers.py Adam.get_config (float32 variables)
    'optimizer_config': {'class_name': 'Adam',
                         'config': {'learning_rate': 0.0010000000474974513, 'beta_1': 0.8999999761581421,
                                    'beta_2': 0.9990000128746033, 'decay': 0.0, 'epsilon': 1e-07,
                                    'amsgrad': False}},
    'loss': 'categorical_crossentropy', 'metrics': ['accuracy'], 'weighted_metrics': None,
    'sample_weight_mode': None, 'loss_weights': None}

TFK_TRAINING_CONFIG = {  # saving_utils.model_metadata: Model._get_compile_args(user_metrics=False)
    'loss': 'categorical_crossentropy',
    'metrics': [[{'class_name': 'MeanMetricWrapper',
                  'config': {'name': 'accuracy', 'dtype': 'float32', 'fn': 'categorical_accuracy'}}]],
    'weighted_metrics': None, 'loss_weights': None,
    'optimizer_config': {'class_name': 'Adam',
                         'config': {'name': 'Adam', 'learning_rate': 0.0010000000474974513, 'decay': 0.0,
                                    'beta_1': 0.8999999761581421, 'beta_2': 0.9990000128746033,
                                    'epsilon': 1e-07, 'amsgrad': False}}}

K3_COMPILE_CONFIG = {  # Trainer.compile's SerializableDict, serialized (optimizer="adam")
    'optimizer': {'module': 'keras.optimizers', 'class_name': 'Adam',
                  'config': {'name': 'adam', 'learning_rate': 0.0010000000474974513, 'weight_decay': None,
                             'clipnorm': None, 'global_clipnorm': None, 'clipvalue': None, 'use_ema': False,
                             'ema_momentum': 0.99, 'ema_overwrite_frequency': None, 'loss_scale_factor': None,
                             'gradient_accumulation_steps': None, 'beta_1': 0.9, 'beta_2': 0.999,
                             'epsilon': 1e-07, 'amsgrad': False},
                  'registered_name': None},
    'loss': 'categorical_crossentropy', 'loss_weights': None, 'metrics': ['accuracy'], 'weighted_metrics': None,
    'run_eagerly': False, 'steps_per_execution': 1, 'jit_compile': False}  # "auto" is False on a CPU


# --------------------------------------------------------------------------
# The fixtures.

def C(name, filters, k, s=1, padding='valid', activation='linear', use_bias=True, kind='Conv2D'):
    return Layer(kind, name, filters=filters, kernel=(k, k), strides=(s, s), padding=padding,
                 activation=activation, use_bias=use_bias)


def P2(name, pool, s=None, kind='MaxPooling2D'):
    return Layer(kind, name, pool=(pool, pool), strides=(s or pool, s or pool))


def D(name, units, activation='linear'):
    return Layer('Dense', name, units=units, activation=activation)


def save_expected(fixture, X, layers):
    P = forward_np(chain(layers), X)
    np.savez_compressed(os.path.join(OUT, fixture + '.expected.npz'), X=X.astype(np.float32), P=P)
    return P


def mnist_inputs():
    """Three test digits of ConvScope's own data set (MNIST images, resources/digits)
    and one random blob, all 28x28x1 in 0..255."""
    with gzip.open(os.path.join(ROOT, 'resources', 'digits', 't10k-images-idx3-ubyte.gz')) as f:
        magic, n, h, w = struct.unpack('>IIII', f.read(16))
        digits = np.frombuffer(f.read(3 * h * w), dtype=np.uint8).reshape(3, h, w).astype(np.float32)
    with gzip.open(os.path.join(ROOT, 'resources', 'digits', 't10k-labels-idx1-ubyte.gz')) as f:
        labels = list(f.read()[8:11])
    rng = np.random.default_rng(231)
    yy, xx = np.mgrid[0:28, 0:28]
    blob = np.zeros((28, 28))
    for _ in range(4):
        cy, cx, s = rng.uniform(8, 20), rng.uniform(8, 20), rng.uniform(1.5, 3.5)
        blob += np.exp(-((yy - cy) ** 2 + (xx - cx) ** 2) / (2 * s * s))
    blob = np.round(255 * blob / blob.max()).astype(np.float32)
    return np.concatenate([digits, blob[None]])[..., None], labels


def fixture_keras23_lenet5():
    # Keras 2.3.1 (standalone, TensorFlow backend), model.save('keras23_lenet5.h5') of
    # Sequential([Conv2D(6, 5, padding='same', activation='relu', input_shape=(28, 28, 1)), ...]).
    layers = [C('conv2d_1', 6, 5, padding='same', activation='relu'), P2('max_pooling2d_1', 2),
              C('conv2d_2', 16, 5, activation='relu'), P2('max_pooling2d_2', 2), Layer('Flatten', 'flatten_1'),
              D('dense_1', 120, 'relu'), D('dense_2', 84, 'relu'), D('dense_3', 10, 'softmax')]
    infer_shapes((28, 28, 1), layers)
    shipped = np.load(os.path.join(ROOT, 'resources', 'models', 'lenet5-digits.npz'))
    for L, src in zip([layers[i] for i in (0, 2, 5, 6, 7)], ['conv2d', 'conv2d_1', 'dense', 'dense_1', 'dense_2']):
        L.weights = [shipped[src + '/kernel'].astype(np.float32), shipped[src + '/bias'].astype(np.float32)]
        assert L.weights[0].shape == weight_shape(L), (src, L.weights[0].shape)
    layers[0].weights[0] = layers[0].weights[0] / np.float32(255)  # reads 0..255 as the shipped model reads 0..1
    name = 'keras23_lenet5.h5'
    # layer_names split into layer_names0 / layer_names1 on purpose: Keras splits a list
    # only past 64512 bytes (hundreds of layers), but the reader must handle it.
    write_keras231_h5(os.path.join(OUT, name), 'sequential_1', layers, K231_TRAINING_CONFIG, split_layer_names=True)
    X, labels = mnist_inputs()
    P = save_expected(name, X, layers)
    return name, layers, X, P, 'test digits %s then a blob: predicted %s' % (labels, list(P.argmax(1)))


def weight_shape(L):
    if L.kind == 'Dense':
        return (L.in_shape[0], L.p['units'])
    return tuple(L.p['kernel']) + (L.in_shape[2], L.p['filters'])


def fixture_tfkeras210_sequential():
    # tf.keras 2.10 (TensorFlow 2.10, h5py 3.x), model.save('tfkeras210_sequential.h5') of
    # Sequential([Rescaling(1/255, input_shape=(12, 12, 1)), Conv2D(4, 3, padding='same',
    # activation='relu'), MaxPooling2D(), Conv2D(6, 3, activation='tanh'), AveragePooling2D(),
    # Flatten(), Dropout(0.25), Dense(10, activation='softmax')]), compiled with
    # optimizer='adam', loss='categorical_crossentropy', metrics=['accuracy'] and trained.
    rng = np.random.default_rng(210)
    inp = Layer('InputLayer', 'rescaling_input', shape=(12, 12, 1))  # Sequential.add: layer.name + "_input"
    layers = [Layer('Rescaling', 'rescaling', scale=1 / 255, offset=0.0),
              C('conv2d', 4, 3, padding='same', activation='relu'), P2('max_pooling2d', 2),
              C('conv2d_1', 6, 3, activation='tanh'), P2('average_pooling2d', 2, kind='AveragePooling2D'),
              Layer('Flatten', 'flatten'), Layer('Dropout', 'dropout', rate=0.25), D('dense', 10, 'softmax')]
    infer_shapes((12, 12, 1), layers)
    init_weights(rng, layers)
    name = 'tfkeras210_sequential.h5'
    write_tfk_model_h5(os.path.join(OUT, name), tfk_sequential_config('sequential', inp, layers, True), layers,
                       TFK_TRAINING_CONFIG, tfk_adam_weights(rng, layers, 60))
    X = np.round(rng.uniform(0, 255, (4, 12, 12, 1))).astype(np.float32)
    return name, layers, X, save_expected(name, X, layers), ''


def fixture_keras3_sequential_h5():
    # Keras 3.10.0 (TensorFlow backend, h5py 3.x), model.save('keras3_sequential.h5') of
    # Sequential([Input((10, 10, 3)), Conv2D(4, 3, strides=2, padding='same', activation='relu'),
    # ZeroPadding2D(((1, 0), (0, 1))), Conv2D(6, 3, use_bias=False), Activation('tanh'), ReLU(),
    # Flatten(), Dense(5, activation='softmax')]), not compiled.
    rng = np.random.default_rng(310)
    inp = Layer('InputLayer', 'input_layer', shape=(10, 10, 3))
    layers = [C('conv2d', 4, 3, s=2, padding='same', activation='relu'),
              Layer('ZeroPadding2D', 'zero_padding2d', padding=((1, 0), (0, 1))),
              C('conv2d_1', 6, 3, use_bias=False), Layer('Activation', 'activation', activation='tanh'),
              Layer('ReLU', 're_lu'), Layer('Flatten', 'flatten'), D('dense', 5, 'softmax')]
    infer_shapes((10, 10, 3), layers)
    init_weights(rng, layers)
    name = 'keras3_sequential.h5'
    write_keras3_h5(os.path.join(OUT, name), 'sequential', inp, layers, '3.10.0')
    X = rng.uniform(0, 1, (4, 10, 10, 3)).astype(np.float32)
    return name, layers, X, save_expected(name, X, layers), ''


def fixture_keras3_sequential_keras():
    # Keras 3.5.0 (TensorFlow backend, CPU), model.save('keras3_sequential.keras') of
    # Sequential([Input((8, 8, 1)), Conv2D(4, 3, padding='same', activation='relu', name='features'),
    # MaxPooling2D(name='shrink'), Conv2D(6, 3, activation='relu', name='conv2d'),
    # Flatten(name='flat'), Dense(6, activation='relu', name='hidden'),
    # Dense(6, activation='relu', name='dense_2'), Dense(6, activation='tanh', name='dense_1'),
    # Dense(3, activation='softmax', name='classifier')]),
    # compiled (optimizer='adam', loss='categorical_crossentropy', metrics=['accuracy']) and trained.
    # The names are chosen against the weight paths: the second Conv2D, named 'conv2d', is
    # stored at layers/conv2d_1 (layers/conv2d holds 'features', of another shape); 'dense_2'
    # is stored at layers/dense_1 and 'dense_1' at layers/dense_2, both 6x6, so a reader that
    # looks weights up by layer name either fails on a shape or silently computes another P.
    rng = np.random.default_rng(350)
    inp = Layer('InputLayer', 'input_layer', shape=(8, 8, 1))
    layers = [C('features', 4, 3, padding='same', activation='relu'), P2('shrink', 2),
              C('conv2d', 6, 3, activation='relu'), Layer('Flatten', 'flat'), D('hidden', 6, 'relu'),
              D('dense_2', 6, 'relu'), D('dense_1', 6, 'tanh'), D('classifier', 3, 'softmax')]
    infer_shapes((8, 8, 1), layers)
    init_weights(rng, layers)
    name = 'keras3_sequential.keras'
    config = k3_sequential_config('3.5.0', 'sequential', inp, layers, K3_COMPILE_CONFIG)
    # Sequential.layers leaves the InputLayer out, so it has no group in the weights file.
    write_keras3_zip(os.path.join(OUT, name), '3.5.0', config, layers, 'sequential',
                     optimizer=('adam', k3_adam_variables(rng, layers, 40)))
    X = rng.uniform(0, 1, (4, 8, 8, 1)).astype(np.float32)
    return name, layers, X, save_expected(name, X, layers), ''


def fixture_tfkeras_weights():
    # tf.keras 2.10, model.save_weights('tfkeras_weights.h5') (HDF5 because of the suffix:
    # Model.save_weights -> hdf5_format.save_weights_to_hdf5_group(f, model) on the file's
    # root) and open('tfkeras_weights.json', 'w').write(model.to_json()) (Model._updated_config:
    # class_name, config, keras_version, backend) of
    # Sequential([Input((9, 9, 2)), Conv2D(3, 4, padding='same', activation='relu'),
    # MaxPooling2D(3, strides=2), Flatten(), Dense(6, activation='sigmoid'),
    # Dense(4, activation='softmax')]). keras.Input names its InputLayer input_1, and the
    # Conv2D, made without input_shape, has no batch_input_shape.
    rng = np.random.default_rng(211)
    inp = Layer('InputLayer', 'input_1', shape=(9, 9, 2))
    layers = [C('conv2d', 3, 4, padding='same', activation='relu'), P2('max_pooling2d', 3, s=2),
              Layer('Flatten', 'flatten'), D('dense', 6, 'sigmoid'), D('dense_1', 4, 'softmax')]
    infer_shapes((9, 9, 2), layers)
    init_weights(rng, layers)
    name = 'tfkeras_weights.h5'
    with h5py.File(os.path.join(OUT, name), 'w') as f:
        write_tfk_weights(f, layers)
    cfg = tfk_sequential_config('sequential', inp, layers, False)
    cfg.update({'keras_version': '2.10.0', 'backend': 'tensorflow'})
    with open(os.path.join(OUT, 'tfkeras_weights.json'), 'w') as f:
        f.write(dumps(cfg))
    X = rng.uniform(0, 1, (4, 9, 9, 2)).astype(np.float32)
    return name, layers, X, save_expected(name, X, layers), ''


def fixture_tfkeras_functional():
    # tf.keras 2.10, model.save('tfkeras_functional.h5') of
    # x = Input((16, 16, 1)); y = Rescaling(1/127.5, offset=-1)(x); y = Conv2D(4, 3, strides=2,
    # padding='same', activation='tanh')(y); y = MaxPooling2D()(y); y = Flatten()(y);
    # y = Dense(8, activation='relu')(y); y = Dropout(0.5)(y); y = Dense(3, activation='softmax')(y);
    # Model(x, y), not compiled (no training_config). The InputLayer is in layer_names,
    # with weight_names = [].
    rng = np.random.default_rng(212)
    inp = Layer('InputLayer', 'input_1', shape=(16, 16, 1))
    layers = [Layer('Rescaling', 'rescaling', scale=1 / 127.5, offset=-1.0),
              C('conv2d', 4, 3, s=2, padding='same', activation='tanh'), P2('max_pooling2d', 2),
              Layer('Flatten', 'flatten'), D('dense', 8, 'relu'), Layer('Dropout', 'dropout', rate=0.5),
              D('dense_1', 3, 'softmax')]
    infer_shapes((16, 16, 1), layers)
    init_weights(rng, layers)
    everything = [inp] + layers
    inbound = {L.name: [everything[i].name] for i, L in enumerate(everything[1:])}
    name = 'tfkeras_functional.h5'
    write_tfk_model_h5(os.path.join(OUT, name), tfk_functional_config('model', everything, inbound), everything)
    X = np.round(rng.uniform(0, 255, (4, 16, 16, 1))).astype(np.float32)
    return name, layers, X, save_expected(name, X, layers), ''


def fixture_keras3_functional():
    # Keras 3.10.0 (TensorFlow backend), model.save('keras3_functional.keras') of
    # x = Input((12, 12, 3)); y = Conv2D(4, 3, activation='relu')(x); y = AveragePooling2D()(y);
    # y = ZeroPadding2D(1)(y); y = Conv2D(5, 2, strides=2, padding='same')(y); y = ReLU()(y);
    # y = Flatten()(y); y = Dense(6, activation='sigmoid', name='hidden')(y);
    # y = Dense(4, activation='softmax', name='probs')(y); Model(x, y), not compiled.
    # Functional.layers includes the InputLayer: it has a (empty) group layers/input_layer/vars.
    rng = np.random.default_rng(3100)
    inp = Layer('InputLayer', 'input_layer', shape=(12, 12, 3))
    layers = [C('conv2d', 4, 3, activation='relu'), P2('average_pooling2d', 2, kind='AveragePooling2D'),
              Layer('ZeroPadding2D', 'zero_padding2d', padding=((1, 1), (1, 1))),
              C('conv2d_1', 5, 2, s=2, padding='same'), Layer('ReLU', 're_lu'), Layer('Flatten', 'flatten'),
              D('hidden', 6, 'sigmoid'), D('probs', 4, 'softmax')]
    infer_shapes((12, 12, 3), layers)
    init_weights(rng, layers)
    name = 'keras3_functional.keras'
    write_keras3_zip(os.path.join(OUT, name), '3.10.0', k3_functional_config('3.10.0', 'functional', [inp] + layers),
                     [inp] + layers, 'functional')
    X = rng.uniform(0, 1, (4, 12, 12, 3)).astype(np.float32)
    return name, layers, X, save_expected(name, X, layers), ''


def fixtures_refusals():
    """Files ConvScope must refuse, with a message naming what it cannot do. Weights are
    random of the right shapes; no expected outputs."""
    rng = np.random.default_rng(7)
    # tf.keras 2.10, model.save('refuse_batchnorm.h5') of Sequential([Conv2D(2, 3,
    # padding='same', activation='relu', input_shape=(6, 6, 1)), BatchNormalization(), Flatten(),
    # Dense(3, activation='softmax')]): BatchNormalization's weights are gamma, beta
    # (trainable) then moving_mean, moving_variance (_legacy_weights order).
    inp = Layer('InputLayer', 'conv2d_input', shape=(6, 6, 1))
    layers = [C('conv2d', 2, 3, padding='same', activation='relu'), Layer('BatchNormalization', 'batch_normalization'),
              Layer('Flatten', 'flatten'), D('dense', 3, 'softmax')]
    infer_shapes((6, 6, 1), layers)
    init_weights(rng, layers)
    write_tfk_model_h5(os.path.join(OUT, 'refuse_batchnorm.h5'),
                       tfk_sequential_config('sequential', inp, layers, True), layers)

    # tf.keras 2.10, model.save('refuse_branching.h5') of x = Input((8, 8, 1));
    # a = Conv2D(2, 3, padding='same', activation='relu')(x); b = Conv2D(2, 1)(x);
    # y = Dense(3, activation='softmax')(Flatten()(Add()([a, b]))); Model(x, y).
    inp = Layer('InputLayer', 'input_1', shape=(8, 8, 1))
    a, b = C('conv2d', 2, 3, padding='same', activation='relu'), C('conv2d_1', 2, 1)
    infer_shapes((8, 8, 1), [a])
    infer_shapes((8, 8, 1), [b])
    add, flat, dense = Layer('Add', 'add'), Layer('Flatten', 'flatten'), D('dense', 3, 'softmax')
    infer_shapes((8, 8, 2), [add, flat, dense])
    init_weights(rng, [a, b, dense])
    everything = [inp, a, b, add, flat, dense]
    inbound = {'conv2d': ['input_1'], 'conv2d_1': ['input_1'], 'add': ['conv2d', 'conv2d_1'],
               'flatten': ['add'], 'dense': ['flatten']}
    write_tfk_model_h5(os.path.join(OUT, 'refuse_branching.h5'), tfk_functional_config('model', everything, inbound),
                       everything)

    # Keras 3.10.0, model.save('refuse_conv2dtranspose.keras') of Sequential([Input((5, 5, 1)),
    # Conv2DTranspose(2, 3, strides=2, padding='same'), Flatten(), Dense(3, activation='softmax')]):
    # the transposed kernel is (kh, kw, filters, input channels).
    inp = Layer('InputLayer', 'input_layer', shape=(5, 5, 1))
    layers = [C('conv2d_transpose', 2, 3, s=2, padding='same', kind='Conv2DTranspose'), Layer('Flatten', 'flatten'),
              D('dense', 3, 'softmax')]
    infer_shapes((5, 5, 1), layers)
    init_weights(rng, layers)
    write_keras3_zip(os.path.join(OUT, 'refuse_conv2dtranspose.keras'), '3.10.0',
                     k3_sequential_config('3.10.0', 'sequential', inp, layers), layers, 'sequential')


# --------------------------------------------------------------------------
# Self-check: read the files back as Keras' loaders do, rebuild the chain from
# the config JSON alone, and recompute P.

def text(v):
    return v.decode('utf8') if isinstance(v, bytes) else str(v)


def attr_list(group, name):
    """load_attributes_from_hdf5_group: name, or name0, name1... when split."""
    if name in group.attrs:
        return [text(n) for n in group.attrs[name]]
    out, i = [], 0
    while '%s%d' % (name, i) in group.attrs:
        out += [text(n) for n in group.attrs['%s%d' % (name, i)]]
        i += 1
    return out


def op_from_config(class_name, c):
    """(kind, params) of a layer from its config: Keras 2 or Keras 3 keys."""
    p = {}
    if class_name in ('Conv2D', 'Dense', 'Activation'):
        p['activation'] = c['activation']
    if class_name == 'Conv2D':
        assert c['data_format'] == 'channels_last' and c['dilation_rate'] == [1, 1] and c.get('groups', 1) == 1
        p.update(strides=c['strides'], padding=c['padding'])
    elif class_name in ('MaxPooling2D', 'AveragePooling2D'):
        assert c['padding'] == 'valid'
        p.update(pool=c['pool_size'], strides=c['strides'])
    elif class_name == 'Rescaling':
        p.update(scale=c['scale'], offset=c['offset'])
    elif class_name == 'ZeroPadding2D':
        p['padding'] = c['padding']
    elif class_name == 'ReLU':
        assert c['max_value'] is None and c['negative_slope'] == 0 and c['threshold'] == 0
    return class_name, p


def read_h5_chain(path, json_text=None):
    """A Keras .h5 (model or weights only) read back: the layer chain and its weights."""
    with h5py.File(path, 'r') as f:
        config = json.loads(json_text if json_text is not None else text(f.attrs['model_config']))
        mw = f['model_weights'] if 'model_weights' in f else f
        weights = {}
        for lname in attr_list(mw, 'layer_names'):
            g = mw[lname]
            weights[lname] = [np.asarray(g[w]) for w in attr_list(g, 'weight_names')]
    out = []
    for entry in config['config']['layers']:
        c = entry['config']
        if entry['class_name'] == 'InputLayer':
            continue
        kind, p = op_from_config(entry['class_name'], c)
        out.append((kind, p, weights[c['name']]))
    return out


def read_keras_zip_chain(path):
    """A .keras read back: layers of model.layers get their weights by class-name counter."""
    with zipfile.ZipFile(path) as z:
        assert [i.filename for i in z.infolist()] == ['metadata.json', 'config.json', 'model.weights.h5']
        assert all(i.compress_type == zipfile.ZIP_STORED for i in z.infolist())
        config = json.loads(z.read('config.json'))
        h = h5py.File(io.BytesIO(z.read('model.weights.h5')), 'r')
    entries = config['config']['layers']
    saved = entries if config['class_name'] == 'Functional' else [e for e in entries if e['class_name'] != 'InputLayer']
    fake = [Layer(e['class_name'], e['config']['name']) for e in saved]
    out = []
    for e, p in zip(saved, container_paths(fake)):
        g = h[p + '/vars']
        ws = [np.asarray(g[str(i)]) for i in range(len(g))]
        if e['class_name'] != 'InputLayer':
            kind, params = op_from_config(e['class_name'], e['config'])
            out.append((kind, params, ws))
    h.close()
    return out


def main():
    os.makedirs(OUT, exist_ok=True)
    for f in os.listdir(OUT):
        if f != 'README.md':
            os.remove(os.path.join(OUT, f))
    made = [fixture_keras23_lenet5(), fixture_tfkeras210_sequential(), fixture_keras3_sequential_h5(),
            fixture_keras3_sequential_keras(), fixture_tfkeras_weights(), fixture_tfkeras_functional(),
            fixture_keras3_functional()]
    fixtures_refusals()
    have_torch = importlib.util.find_spec('torch') is not None
    if not have_torch:
        print('PyTorch not importable: cross-check skipped')
    for name, layers, X, P, note in made:
        path = os.path.join(OUT, name)
        if name.endswith('.keras'):
            back = read_keras_zip_chain(path)
        elif name == 'tfkeras_weights.h5':
            back = read_h5_chain(path, open(os.path.join(OUT, 'tfkeras_weights.json')).read())
        else:
            back = read_h5_chain(path)
        P_back = forward_np(back, X)
        assert np.array_equal(P_back, P), name + ': read back, the file computes another P'
        line = '%-26s P %s, read back identical' % (name, P.shape)
        if have_torch:
            err = np.abs(forward_torch(chain(layers), X) - P).max()
            assert err < 1e-12, (name, err)
            line += ', torch max |diff| %.1e' % err
        print(line + ('; ' + note if note else ''))
    total = sum(os.path.getsize(os.path.join(OUT, f)) for f in os.listdir(OUT))
    print('tests/data/keras: %d files, %d bytes' % (len(os.listdir(OUT)), total))


if __name__ == '__main__':
    main()
