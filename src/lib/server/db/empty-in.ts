import {
	BinaryOperationNode,
	OperationNodeTransformer,
	OperatorNode,
	PrimitiveValueListNode,
	ValueListNode,
	ValueNode,
	type KyselyPlugin,
	type PluginTransformQueryArgs,
	type PluginTransformResultArgs,
	type QueryResult,
	type RootOperationNode,
	type UnknownRow
} from 'kysely';

/**
 * `x in ()` is valid in SQLite (false) but a syntax error in PostgreSQL, and the domain code
 * builds IN lists from data that may be empty (a board's cards, a report's items). On
 * PostgreSQL this plugin rewrites `x in ()` to `1 = 0` and `x not in ()` to `1 = 1`, which is
 * what SQLite means by them.
 */
export class EmptyInPlugin implements KyselyPlugin {
	private readonly transformer = new EmptyInTransformer();

	transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
		return this.transformer.transformNode(args.node);
	}

	transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
		return Promise.resolve(args.result);
	}
}

class EmptyInTransformer extends OperationNodeTransformer {
	protected override transformBinaryOperation(node: BinaryOperationNode): BinaryOperationNode {
		const op = OperatorNode.is(node.operator) ? node.operator.operator : null;
		const right = node.rightOperand;
		const empty =
			(PrimitiveValueListNode.is(right) && right.values.length === 0) ||
			(ValueListNode.is(right) && right.values.length === 0);
		if (empty && (op === 'in' || op === 'not in'))
			return BinaryOperationNode.create(
				ValueNode.createImmediate(1),
				OperatorNode.create('='),
				ValueNode.createImmediate(op === 'in' ? 0 : 1)
			);
		return super.transformBinaryOperation(node);
	}
}
