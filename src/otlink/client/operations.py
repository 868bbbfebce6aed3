"""How one flow becomes a method of both clients.

``operation(flow)`` in a class body gives, on a :class:`SyncRunner` (``RobotClient``), a
method that returns the flow's result, and on an :class:`AsyncRunner`
(``AsyncRobotClient``), a coroutine method; ``stream(flow)`` gives an iterator or an async
iterator. Each client passes its :class:`~otlink.client.options.ClientOptions` as the flow's
first argument, so a method's signature is the flow's without it. mypy and IDEs see the right
signature and return type on each client.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import AsyncIterator, Callable, Coroutine, Iterator
from typing import Any, Concatenate, Generic, ParamSpec, TypeVar, cast, overload

from otlink.client.options import ClientOptions
from otlink.client.steps import Flow, Stream

__all__ = ["AsyncRunner", "SyncRunner", "operation", "stream"]

P = ParamSpec("P")
T = TypeVar("T")


class SyncRunner:
    """A client that carries flows out by blocking."""

    _options: ClientOptions

    def _run(self, flow: Flow[T]) -> T:
        raise NotImplementedError

    def _iterate(self, flow: Stream[T]) -> Iterator[T]:
        raise NotImplementedError


class AsyncRunner:
    """A client that carries flows out with ``await``."""

    _options: ClientOptions

    async def _run(self, flow: Flow[T]) -> T:
        raise NotImplementedError

    def _iterate(self, flow: Stream[T]) -> AsyncIterator[T]:
        raise NotImplementedError


class _Bindable:
    """What both descriptors share: the flow's name, docs and public signature, and caching
    the bound method on the client so that later calls skip the descriptor."""

    def __init__(self, flow: Callable[..., Any]) -> None:
        functools.update_wrapper(cast(Any, self), flow)
        self._flow = flow
        self._name = flow.__name__
        signature = inspect.signature(flow)
        self.__signature__ = signature.replace(parameters=list(signature.parameters.values())[1:])

    def __set_name__(self, owner: type[Any], name: str) -> None:
        self._name = name

    def _publish(self, client: Any, method: Callable[..., Any]) -> Any:
        functools.update_wrapper(method, cast(Any, self))
        client.__dict__[self._name] = method
        return method


class operation(_Bindable, Generic[P, T]):
    """A request/response operation of both clients."""

    def __init__(self, flow: Callable[Concatenate[ClientOptions, P], Flow[T]]) -> None:
        super().__init__(flow)

    @overload
    def __get__(self, client: None, owner: type[Any]) -> operation[P, T]: ...
    @overload
    def __get__(self, client: SyncRunner, owner: type[Any]) -> Callable[P, T]: ...
    @overload
    def __get__(
        self, client: AsyncRunner, owner: type[Any]
    ) -> Callable[P, Coroutine[Any, Any, T]]: ...
    def __get__(self, client: SyncRunner | AsyncRunner | None, owner: type[Any]) -> Any:
        if client is None:
            return self
        flow, options, run = self._flow, client._options, client._run

        if isinstance(client, AsyncRunner):

            async def call_async(*args: Any, **kwargs: Any) -> Any:
                return await run(flow(options, *args, **kwargs))

            return self._publish(client, call_async)

        def call(*args: Any, **kwargs: Any) -> Any:
            return run(flow(options, *args, **kwargs))

        return self._publish(client, call)


class stream(_Bindable, Generic[P, T]):
    """An operation of both clients that yields items: an iterator, or an async iterator."""

    def __init__(self, flow: Callable[Concatenate[ClientOptions, P], Stream[T]]) -> None:
        super().__init__(flow)

    @overload
    def __get__(self, client: None, owner: type[Any]) -> stream[P, T]: ...
    @overload
    def __get__(self, client: SyncRunner, owner: type[Any]) -> Callable[P, Iterator[T]]: ...
    @overload
    def __get__(self, client: AsyncRunner, owner: type[Any]) -> Callable[P, AsyncIterator[T]]: ...
    def __get__(self, client: SyncRunner | AsyncRunner | None, owner: type[Any]) -> Any:
        if client is None:
            return self
        flow, options, iterate = self._flow, client._options, client._iterate

        def items(*args: Any, **kwargs: Any) -> Any:
            return iterate(flow(options, *args, **kwargs))

        return self._publish(client, items)
