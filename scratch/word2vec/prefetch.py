"""A cache prefetch hint for numba code: ``prefetch(matrix, row, column)``.

Training touches a few random rows of two large matrices for every (context, center)
pair; most of its time goes to waiting for those rows to arrive from memory. Asking
the CPU to start loading all of a pair's rows before the arithmetic begins lets the
loads overlap instead of queueing one after the other. numba has no prefetch function,
so this one emits LLVM's ``llvm.prefetch`` intrinsic directly. It is only a hint: it
never faults and never changes a result.

With ``NUMBA_DISABLE_JIT=1`` (numba's switch for debugging compiled code as plain
Python) an intrinsic cannot run, so :func:`prefetch` is then a Python function that does
nothing: the training loops run interpreted, slowly, with the same results.
"""

from __future__ import annotations

from llvmlite import ir
from numba import config, njit
from numba.core import cgutils, types
from numba.extending import intrinsic

_CACHE_LINE_FLOATS = 16  # 64-byte cache lines of float32


@intrinsic
def _prefetch_intrinsic(typingctx, matrix, row, column):
    """Prefetch the cache line holding ``matrix[row, column]``, for writing, into all cache levels."""

    def codegen(context, builder, signature, args):
        matrix_type = signature.args[0]
        array = context.make_array(matrix_type)(context, builder, args[0])
        indices = [context.cast(builder, value, kind, types.intp) for value, kind in zip(args[1:], signature.args[1:])]
        pointer = cgutils.get_item_pointer2(
            context,
            builder,
            data=array.data,
            shape=cgutils.unpack_tuple(builder, array.shape),
            strides=cgutils.unpack_tuple(builder, array.strides),
            layout=matrix_type.layout,
            inds=indices,
        )
        byte_pointer = ir.IntType(8).as_pointer()
        i32 = ir.IntType(32)
        function_type = ir.FunctionType(ir.VoidType(), [byte_pointer, i32, i32, i32])
        llvm_prefetch = cgutils.get_or_insert_function(builder.module, function_type, "llvm.prefetch.p0i8")
        # arguments: address, 1 = for writing (the rows are updated right after), 3 = keep in all
        # cache levels, 1 = data (not instruction) cache
        builder.call(llvm_prefetch, [builder.bitcast(pointer, byte_pointer), i32(1), i32(3), i32(1)])
        return context.get_dummy_value()

    return types.void(matrix, row, column), codegen


def _no_prefetch(matrix, row, column) -> None:
    """The hint is for compiled code; interpreted there is nothing to ask for."""


prefetch = _no_prefetch if config.DISABLE_JIT else _prefetch_intrinsic


@njit(inline="always")
def prefetch_row(matrix, row):
    """Prefetch every cache line of ``matrix[row]``."""
    for column in range(0, matrix.shape[1], _CACHE_LINE_FLOATS):
        prefetch(matrix, row, column)
